"""The registry listings and exports issue as many queries for 200 rows as for 10 (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.constants import AccountRole
from tests.export_helpers import export_get
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    IndustryFactory,
    PersonFactory,
    VillageFactory,
)


def grow(town, count: int) -> None:
    """Enterprises of the "a" department with distinct villages and industries, one person each,
    and every other person an inspector's colleague with a department instead of an employer."""
    for _ in range(count):
        enterprise = EnterpriseFactory(
            village=VillageFactory(), industry=IndustryFactory(), lead_department=town["dept_a"]
        )
        PersonFactory(employer=enterprise, is_special_operator=True)
        PersonFactory(employer=None, department=DepartmentFactory(), is_inspector=True)


def _get(client, path: str):
    """A listing, or an export from its request through the worker's writing to the download."""
    return export_get(client, path) if "export=" in path else client.get(path)


def queries_for(client, path: str) -> int:
    _get(client, path)  # warm per-process caches (content types, site) out of the count
    with CaptureQueriesContext(connection) as captured:
        response = _get(client, path)
    assert response.status_code == 200
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return len(captured)


@pytest.mark.parametrize("role", [AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER])
@pytest.mark.parametrize(
    ("namespace", "query"),
    [
        ("registry_enterprises", ""),
        ("registry_people", ""),
        ("registry_enterprises", "?export=xlsx"),
        ("registry_people", "?export=xlsx"),
    ],
)
def test_same_queries_for_10_and_200_rows(client, accounts, town, role, namespace, query):
    client.force_login(accounts[role])
    path = reverse(f"{namespace}:index") + query
    grow(town, 10)
    few = queries_for(client, path)
    grow(town, 190)
    many = queries_for(client, path)
    assert many == few


def test_a_full_page_is_listed(client, accounts, town):
    """The comparison above is only meaningful if the second page really holds more rows."""
    grow(town, 60)
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    response = client.get(reverse("registry_people:index"))
    assert len(response.context["object_list"]) == 50

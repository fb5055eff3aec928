"""The duties page and the bulletin cost a bounded number of queries whatever the town's size."""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.constants import AccountRole
from tests.factories import EnterpriseFactory
from tests.factories.duties import DutiesChecklistFactory, DutiesInspectionFactory, duties_principal

pytestmark = pytest.mark.django_db


def _town(town, n):
    for _ in range(n):
        enterprise = EnterpriseFactory(lead_department=town["dept_a"], village=town["village_a"])
        principal = duties_principal(enterprise)
        DutiesChecklistFactory(enterprise=enterprise, principal=principal)
        DutiesInspectionFactory(
            enterprise=enterprise, principal=principal, date=datetime.date(2026, 2, 3)
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER])
def test_queries_do_not_grow_with_the_town(client, town, accounts, role):
    client.force_login(accounts[role])
    _town(town, 2)
    home = reverse("duties:home") + "?year=2026"
    bulletin = reverse("duties:bulletin") + "?year=2026"
    _count(client, home)  # the first request after login also touches the session
    small = (_count(client, home), _count(client, bulletin))
    _town(town, 40)
    started = time.perf_counter()
    large = (_count(client, home), _count(client, bulletin))
    print(f"duties home + bulletin, 42 enterprises: {time.perf_counter() - started:.3f}s")
    assert large == small

"""Each role × each reports object (targets, exemplary enterprises, monthly reports, coverage
drill-downs) → visible / editable, through the selectors and over HTTP."""

import datetime

import pytest
from django.urls import reverse

from directory.constants import AccountRole
from directory.selectors import editable_by, visible_to
from reports.models import ExemplaryEnterprise, MonthlyReport, Target
from reports.selectors.scoping import figures_scope_for, scope_requested

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER


@pytest.fixture
def objects(town):
    def target(**unit):
        kind = next(iter(unit), "town")
        return Target.objects.create(
            metric="drill_coverage",
            year=2030,
            scope=kind,
            target_percent=90,
            deadline=datetime.date(2030, 10, 1),
            **unit,
        )

    return {
        "target_town": target(),
        "target_dept_a": target(department=town["dept_a"]),
        "target_dept_b": target(department=town["dept_b"]),
        "target_village_a": target(village=town["village_a"]),
        "target_village_b": target(village=town["village_b"]),
        "exemplary_a": ExemplaryEnterprise.objects.create(
            enterprise=town["ent_a"], year=2024, named_on=datetime.date(2024, 5, 1)
        ),
        "exemplary_b": ExemplaryEnterprise.objects.create(
            enterprise=town["ent_b"], year=2024, named_on=datetime.date(2024, 5, 1)
        ),
        "report_dept_a": MonthlyReport.objects.create(
            department=town["dept_a"], year=2026, month=1
        ),
        "report_dept_b": MonthlyReport.objects.create(
            department=town["dept_b"], year=2026, month=1
        ),
        "report_village_a": MonthlyReport.objects.create(
            village=town["village_a"], year=2026, month=1
        ),
        "report_village_b": MonthlyReport.objects.create(
            village=town["village_b"], year=2026, month=1
        ),
    }


KEYS = [
    "target_town",
    "target_dept_a",
    "target_dept_b",
    "target_village_a",
    "target_village_b",
    "exemplary_a",
    "exemplary_b",
    "report_dept_a",
    "report_dept_b",
    "report_village_a",
    "report_village_b",
]
VISIBLE = {
    TOWN: set(KEYS),
    DEPT: {"target_town", "target_dept_a", "exemplary_a", "report_dept_a"},
    VILLAGE: {"target_town", "target_village_a", "exemplary_a", "report_village_a"},
    MANAGER: {"exemplary_a"},
    AccountRole.LEARNER: set(),
    AccountRole.EDITOR: set(),
}
# Targets and exemplary enterprises: the town office; monthly reports: their own unit (the
# services check who may do what in which state) and the town office, which reviews them.
EDITABLE = {
    TOWN: set(KEYS),
    DEPT: {"report_dept_a"},
    VILLAGE: {"report_village_a"},
    MANAGER: set(),
    AccountRole.LEARNER: set(),
    AccountRole.EDITOR: set(),
}
MATRIX = [(role, key) for role in AccountRole for key in KEYS]
IDS = [f"{role.value}-{key}" for role, key in MATRIX]


@pytest.mark.parametrize(("role", "key"), MATRIX, ids=IDS)
def test_selectors(accounts, objects, role, key):
    obj = objects[key]
    user = accounts[role]
    model = type(obj)
    assert visible_to(user, model).filter(pk=obj.pk).exists() == (key in VISIBLE[role])
    assert editable_by(user, model).filter(pk=obj.pk).exists() == (key in EDITABLE[role])


MONTHLY = [k for k in KEYS if k.startswith("report_")]


@pytest.mark.parametrize(("role", "key"), [(r, k) for r in AccountRole for k in MONTHLY], ids=str)
def test_monthly_report_page(client, accounts, objects, role, key):
    client.force_login(accounts[role])
    response = client.get(reverse("monthly_reports:detail", args=[objects[key].pk]))
    assert (response.status_code == 200) == (key in VISIBLE[role])


# The coverage drill-down: which enterprises each role's list of uncovered shows (the manager's:
# the list behind a figure on its home, its own enterprise whatever the link asks).
DRILL_DOWN = {TOWN: {"ent_a", "ent_b"}, DEPT: {"ent_a"}, VILLAGE: {"ent_a"}, MANAGER: {"ent_a"}}


@pytest.mark.parametrize("role", list(AccountRole))
@pytest.mark.parametrize("asked", [{}, {"department": "dept_b"}, {"village": "village_b"}])
def test_drill_down_never_wider_than_the_role(client, accounts, town, role, asked):
    client.force_login(accounts[role])
    query = "&".join(f"{k}={town[v].pk}" for k, v in asked.items())
    response = client.get(reverse("coverage:uncovered", args=["drill_coverage"]) + "?" + query)
    if role not in DRILL_DOWN:
        assert response.status_code == 302 and figures_scope_for(accounts[role]) is None
        return
    body = response.content.decode()
    asked_pks = {k: town[v].pk for k, v in asked.items()}
    scope = scope_requested(accounts[role], **asked_pks, enterprise_ok=True)
    shown = {k for k in ("ent_a", "ent_b") if town[k].name in body}
    assert shown <= DRILL_DOWN[role]
    assert shown == {k for k in DRILL_DOWN[role] if _in_scope(scope, town[k])}


def _in_scope(scope, enterprise) -> bool:
    return (
        (not scope.department_id or enterprise.lead_department_id == scope.department_id)
        and (not scope.village_id or enterprise.village_id == scope.village_id)
        and (not scope.enterprise_id or enterprise.pk == scope.enterprise_id)
    )

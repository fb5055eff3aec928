"""Drill coverage: enterprises that met the year's obligation over active ones, per town,
department, village and industry, scoped, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.constants import AccountRole
from tests.factories import EnterpriseFactory, IndustryFactory
from tests.factories.drills import DrillRecordFactory
from training.drills.selectors.coverage import drill_coverage
from training.drills.selectors.obligations import obligation_enterprises_for

TODAY = datetime.date(2026, 12, 1)
TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER


def drilled(enterprise, day=datetime.date(2026, 4, 1)):
    DrillRecordFactory(enterprise=enterprise, date=day)


@pytest.fixture
def spread(town):
    """ent_a drilled; ent_b not; a third (village a, dept a, another industry) drilled; a fire-key
    unit drilled only in the first half; a closed enterprise that drilled is not counted."""
    drilled(town["ent_a"])
    third = EnterpriseFactory(
        name="丙物流有限公司",
        village=town["village_a"],
        lead_department=town["dept_a"],
        industry=IndustryFactory(name="仓储物流"),
    )
    drilled(third)
    key_unit = EnterpriseFactory(
        name="丁商场",
        village=town["village_b"],
        lead_department=town["dept_b"],
        industry=town["industry"],
        is_fire_key_unit=True,
    )
    drilled(key_unit)
    closed = EnterpriseFactory(name="戊已关闭", status="closed", industry=town["industry"])
    drilled(closed)


def table(coverage, name):
    return {row.label: (row.met, row.active) for row in coverage.by[name]}


def test_coverage_per_town_department_village_industry(accounts, spread):
    coverage = drill_coverage(
        enterprises=obligation_enterprises_for(accounts[TOWN]), year=2026, today=TODAY
    )
    assert (coverage.town.met, coverage.town.active) == (2, 4)
    assert coverage.town.rate == 0.5
    assert table(coverage, "department") == {"经发办": (2, 2), "规建办": (0, 2)}
    assert table(coverage, "village") == {"徐泾村": (2, 2), "金云村": (0, 2)}
    assert table(coverage, "industry") == {"机械制造": (1, 3), "仓储物流": (1, 1)}


def test_a_department_counts_only_its_enterprises(accounts, spread):
    coverage = drill_coverage(
        enterprises=obligation_enterprises_for(accounts[DEPT]), year=2026, today=TODAY
    )
    assert (coverage.town.met, coverage.town.active) == (2, 2)
    assert table(coverage, "department") == {"经发办": (2, 2)}


def test_queries_do_not_grow_with_enterprises(accounts, spread, town):
    def count():
        with CaptureQueriesContext(connection) as queries:
            drill_coverage(
                enterprises=obligation_enterprises_for(accounts[TOWN]), year=2026, today=TODAY
            )
        return len(queries)

    before = count()
    for index in range(10):
        drilled(EnterpriseFactory(industry=IndustryFactory(name=f"行业{index}")))
    assert count() == before == 6


def test_report_in_the_back_office(client, accounts, spread):
    client.force_login(accounts[TOWN])
    response = client.get(reverse("drill_coverage"), {"year": 2026})
    page = response.content.decode()
    assert response.status_code == 200
    assert "4 家在营企业中 2 家完成了本年度演练任务" in page and "50%" in page
    assert "规建办" in page and "仓储物流" in page

    client.force_login(accounts[DEPT])
    page = client.get(reverse("drill_coverage"), {"year": 2026}).content.decode()
    assert "规建办" not in page.split('id="coverage-department"')[1].split("</table>")[0]


def test_editor_has_no_coverage_report(client, accounts):
    client.force_login(accounts[AccountRole.EDITOR])
    assert client.get(reverse("drill_coverage")).status_code == 302

"""Drill coverage: the three figures (held a drill, evacuation duty met, every duty met) over the
active enterprises, per town, department, village and industry, scoped, in a fixed number of
queries."""

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
    unit drilled only in the first half (its second fire drill owed); a fifth held only a gas-leak
    drill of its on-site plan (no evacuation); a closed enterprise that drilled is not counted."""
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
    gas = EnterpriseFactory(
        name="己燃气站",
        village=town["village_b"],
        lead_department=town["dept_b"],
        industry=town["industry"],
    )
    DrillRecordFactory(
        enterprise=gas, date=datetime.date(2026, 4, 1), scenario="gas_leak", plan_type="on_site"
    )
    closed = EnterpriseFactory(name="戊已关闭", status="closed", industry=town["industry"])
    drilled(closed)


def table(coverage, name, code):
    return {row.label: (row.met[code], row.active) for row in coverage.by[name]}


def test_coverage_per_town_department_village_industry(accounts, spread):
    coverage = drill_coverage(
        enterprises=obligation_enterprises_for(accounts[TOWN]), year=2026, today=TODAY
    )
    assert coverage.town.active == 5
    assert coverage.town.met == {"drills_held": 4, "drill_coverage": 3, "drill_duties_met": 2}
    assert coverage.town.rate("drill_duties_met") == 0.4
    assert table(coverage, "department", "drill_duties_met") == {"经发办": (2, 2), "规建办": (0, 3)}
    assert table(coverage, "department", "drills_held") == {"经发办": (2, 2), "规建办": (2, 3)}
    assert table(coverage, "village", "drill_coverage") == {"徐泾村": (2, 2), "金云村": (1, 3)}
    assert table(coverage, "industry", "drill_duties_met") == {
        "机械制造": (1, 4),
        "仓储物流": (1, 1),
    }


def test_a_department_counts_only_its_enterprises(accounts, spread):
    coverage = drill_coverage(
        enterprises=obligation_enterprises_for(accounts[DEPT]), year=2026, today=TODAY
    )
    assert coverage.town.active == 2
    assert coverage.town.met["drill_duties_met"] == 2
    assert table(coverage, "department", "drill_duties_met") == {"经发办": (2, 2)}


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
    assert count() == before == 4


def test_report_in_the_back_office(client, accounts, spread):
    client.force_login(accounts[TOWN])
    response = client.get(reverse("drill_coverage"), {"year": 2026})
    page = response.content.decode()
    assert response.status_code == 200
    total = page.split('id="coverage-total"')[1].split("</table>")[0]
    for label, percent in (
        ("开展演练企业占比", "80%"),
        ("年度疏散演练覆盖率", "60%"),
        ("演练义务完成率", "40%"),
    ):
        assert label in total and percent in total.split(label)[1].split("</tr>")[0]
    assert "规建办" in page and "仓储物流" in page

    client.force_login(accounts[DEPT])
    page = client.get(reverse("drill_coverage"), {"year": 2026}).content.decode()
    assert "规建办" not in page.split('id="coverage-department"')[1].split("</table>")[0]


def test_editor_has_no_coverage_report(client, accounts):
    client.force_login(accounts[AccountRole.EDITOR])
    assert client.get(reverse("drill_coverage")).status_code == 302

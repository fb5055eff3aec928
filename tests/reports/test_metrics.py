"""The metric registry and the drill metrics (held a drill, evacuation duty met, every duty met):
covered months, scope, the uncovered list, agreement with the drill obligations report, and a
bounded number of queries."""

import datetime

import pytest

from directory.constants import EnterpriseStatus
from directory.models import Enterprise
from reports.metrics import Kind, Scope, Unit, metric_get, metric_list
from reports.selectors.coverage import dashboard_figures, measure_of, ranking_of, trend_of
from tests.factories import EnterpriseFactory
from tests.factories.drills import DrillRecordFactory
from training.drills.selectors.coverage import FIGURES, figure_met
from training.drills.selectors.obligations import drill_obligation_status
from training.models import ReviewStatus

YEAR = 2026
# Offline sessions (tests/reports/test_session_metrics.py).
SESSION_METRICS = ["principal_training", "inspector_training", "criteria_study"]
PEOPLE_METRICS = ["manager_assessment", "special_operator_certified", "training_hours"]
DRILL_METRICS = ["drills_held", "drill_coverage", "drill_duties_met"]


def test_registry_lists_the_seven_plan_metrics_and_exemplary_count():
    codes = [m.code for m in metric_list()]
    assert set(codes) == {
        *SESSION_METRICS,
        *PEOPLE_METRICS,
        *DRILL_METRICS,
        "exemplary_enterprises",
        "propaganda_reach",
        "principal_duties_accepted",
        "principal_self_inspection",
        "cadre_training",
    }
    assert [str(metric_get(code).label) for code in DRILL_METRICS] == [
        "开展演练企业占比",
        "年度疏散演练覆盖率",
        "演练义务完成率",
    ]
    assert metric_get("criteria_study").unit == Unit.MEMBER_UNITS
    assert metric_get("training_hours").unit == Unit.PEOPLE
    assert metric_get("exemplary_enterprises").kind == Kind.COUNT


def test_a_metric_without_a_source_gives_no_data(db):
    from reports.metrics import Metric

    class Unplugged(Metric):
        code = "unplugged"

    metric = Unplugged()
    assert not metric.has_source
    assert metric.items(scope=Scope(), year=YEAR) is None
    assert metric.uncovered(scope=Scope(), year=YEAR, month=12) is None
    assert all(m.has_source for m in metric_list())


def covered_months(scope=None, code="drill_coverage"):
    """Each enterprise's covered month, by its village (every test enterprise has its own)."""
    items = metric_get(code).items(scope=scope or Scope(), year=YEAR)
    assert all(i.count == 1 for i in items)
    return {i.village_id: i.covered_month for i in items}


def test_yearly_obligation_covered_from_the_first_counted_drill(town):
    DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(YEAR, 3, 10))
    DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(YEAR, 9, 1))
    DrillRecordFactory(enterprise=town["ent_b"], date=datetime.date(YEAR - 1, 3, 10))
    DrillRecordFactory(
        enterprise=town["ent_b"],
        date=datetime.date(YEAR, 2, 1),
        review_status=ReviewStatus.MORE_INFORMATION,
    )
    assert covered_months() == {town["ent_a"].village_id: 3, town["ent_b"].village_id: None}


def test_half_yearly_duties_need_both_halves_the_evacuation_one_does_not(town):
    """公安部61号令 第四十条 (fire key unit), 《生产安全事故应急条例》第八条 (hazardous chemicals):
    each half year; 徐泾镇三年行动方案 第21条: the evacuation drill once a year."""
    half_yearly = EnterpriseFactory(is_fire_key_unit=True)
    only_first = EnterpriseFactory(handles_hazardous_chemicals=True)
    DrillRecordFactory(enterprise=half_yearly, date=datetime.date(YEAR, 5, 1))
    DrillRecordFactory(enterprise=half_yearly, date=datetime.date(YEAR, 10, 2))
    DrillRecordFactory(enterprise=only_first, date=datetime.date(YEAR, 1, 5))
    months = covered_months(code="drill_duties_met")
    assert months[half_yearly.village_id] == 10
    assert months[only_first.village_id] is None
    evacuation = covered_months()
    assert (evacuation[half_yearly.village_id], evacuation[only_first.village_id]) == (5, 1)


def test_a_drill_without_evacuation_is_held_but_covers_no_evacuation(town):
    DrillRecordFactory(
        enterprise=town["ent_a"],
        date=datetime.date(YEAR, 3, 1),
        scenario="confined_space_rescue",
        plan_type="special",
    )
    village = town["ent_a"].village_id
    assert covered_months(code="drills_held")[village] == 3
    assert covered_months()[village] is None
    assert covered_months(code="drill_duties_met")[village] is None


def test_closed_enterprises_and_other_scopes_are_left_out(town):
    closed = EnterpriseFactory(status=EnterpriseStatus.CLOSED, lead_department=town["dept_a"])
    DrillRecordFactory(enterprise=closed, date=datetime.date(YEAR, 3, 1))
    closed.village = town["village_b"]
    closed.save()
    assert set(covered_months()) == {town["village_a"].pk, town["village_b"].pk}
    assert covered_months(Scope(village_id=town["village_b"].pk)) == {town["village_b"].pk: None}
    by_department = metric_get("drill_coverage").items(
        scope=Scope(department_id=town["dept_a"].pk), year=YEAR
    )
    assert [(i.village_id, i.count) for i in by_department] == [(town["village_a"].pk, 1)]


def test_trend_measure_and_ranking(town):
    DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(YEAR, 4, 10))
    metric = metric_get("drill_coverage")
    items = metric.items(scope=Scope(), year=YEAR)
    assert [(m, x.numerator, x.denominator) for m, x in trend_of(metric, items, 5)] == [
        (1, 0, 2),
        (2, 0, 2),
        (3, 0, 2),
        (4, 1, 2),
        (5, 1, 2),
    ]
    assert measure_of(metric, items, 12).percent == 50.0
    names = {town["dept_a"].pk: "经发办", town["dept_b"].pk: "规建办"}
    rows = ranking_of(metric, items, 12, "department", names)
    assert [(r.name, r.measure.percent) for r in rows] == [("经发办", 100.0), ("规建办", 0.0)]


@pytest.mark.parametrize("code", DRILL_METRICS)
@pytest.mark.parametrize("month", [3, 6, 9, 12])
def test_uncovered_list_matches_the_items(town, month, code):
    fire = EnterpriseFactory(is_fire_key_unit=True)
    DrillRecordFactory(enterprise=fire, date=datetime.date(YEAR, 2, 1))
    DrillRecordFactory(enterprise=fire, date=datetime.date(YEAR, 8, 1))
    DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(YEAR, 5, 1))
    metric = metric_get(code)
    items = metric.items(scope=Scope(), year=YEAR)
    expected = {i.village_id for i in items if i.covered_month is None or i.covered_month > month}
    uncovered = metric.uncovered(scope=Scope(), year=YEAR, month=month)
    assert set(uncovered.values_list("village_id", flat=True)) == expected


@pytest.mark.parametrize("code", DRILL_METRICS)
def test_year_end_figures_agree_with_the_drill_obligations_report(town, code):
    fire = EnterpriseFactory(is_fire_key_unit=True)
    DrillRecordFactory(enterprise=fire, date=datetime.date(YEAR, 8, 1))
    DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(YEAR, 12, 30))
    statuses = drill_obligation_status(
        enterprises=Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE),
        year=YEAR,
        today=datetime.date(YEAR + 1, 1, 1),
    )
    met = {s.enterprise_id for s in statuses if figure_met(code, s)}
    # The key unit drilled once: held and evacuated, but owes a fire drill in the first half.
    expected = {"drill_duties_met": {town["ent_a"].pk}}.get(code, {town["ent_a"].pk, fire.pk})
    assert met == expected
    covered = {village for village, m in covered_months(code=code).items() if m is not None}
    assert covered == {e.village_id for e in Enterprise.objects.filter(pk__in=met)}
    assert set(FIGURES) == set(DRILL_METRICS)


@pytest.mark.parametrize("size", [3, 40])
def test_dashboard_queries_do_not_grow_with_the_town(town, size, django_assert_max_num_queries):
    for n in range(size):
        enterprise = EnterpriseFactory(lead_department=town["dept_a"], village=town["village_a"])
        if n % 2:
            DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 1 + n % 12, 1))
    # Targets, three unit name lists, one for each drill metric, one for the exemplary
    # enterprises, five for the training hours, one for each certificate and session metric,
    # the propaganda reach, the principals' two duties and the cadres' course.
    with django_assert_max_num_queries(20):
        figures = dashboard_figures(
            scope=Scope(), year=YEAR, month=12, today=datetime.date(YEAR, 12, 1)
        )
    for code in DRILL_METRICS:
        drills = next(f for f in figures if f.metric.code == code)
        assert drills.measure.denominator == size + 2
        assert drills.measure.numerator == size // 2

"""Drill duties by kind: the rule table, each duty's state around the half-year and year
deadlines, which records count, and two queries whatever the number of enterprises.

Rules (regulations.md §4): 徐泾镇三年行动方案 第21条 — every enterprise an evacuation drill a year;
《生产安全事故应急预案管理办法》第三十三条 — the comprehensive or a special plan a year, the on-site
disposal plan each half year; 《生产安全事故应急条例》第八条 — the plan drill each half year for
hazardous chemicals, crowded places, high-risk and construction industries and the industries the
town office ticks; 公安部61号令 第四十条 — a fire drill each half year for 消防安全重点单位, a
year for the others.
"""

import datetime

import pytest

from directory.constants import RiskClass
from directory.models import Enterprise
from tests.factories import EnterpriseFactory, IndustryFactory
from tests.factories.drills import DrillRecordFactory
from training.drills.rules import INDUSTRY_HALF_YEARLY_REASON, DrillDuty, drill_duties
from training.drills.selectors.obligations import DONE, DUE, OVERDUE, drill_obligation_status
from training.models import ReviewStatus

YEAR = 2026
EVACUATION, PLAN, ON_SITE, FIRE = (
    DrillDuty.EVACUATION,
    DrillDuty.PLAN,
    DrillDuty.ON_SITE,
    DrillDuty.FIRE,
)


def status_of(enterprise, today, year=YEAR):
    (row,) = drill_obligation_status(
        enterprises=Enterprise.objects.filter(pk=enterprise.pk), year=year, today=today
    )
    return row


def per_year(enterprise) -> dict[str, int]:
    return {duty: rule.per_year for duty, rule in drill_duties(enterprise).items()}


# --- the rule table --------------------------------------------------------------------------


def test_a_plain_enterprise_owes_evacuation_plan_and_fire_drills_yearly(db):
    industry = IndustryFactory(name="机械制造", risk_class=RiskClass.GENERAL)
    assert per_year(EnterpriseFactory(industry=industry)) == {EVACUATION: 1, PLAN: 1, FIRE: 1}


@pytest.mark.parametrize("flag", ["handles_hazardous_chemicals", "is_crowded_place"])
def test_article_8_units_drill_their_plan_each_half_year(db, flag):
    """《生产安全事故应急条例》第八条."""
    duties = drill_duties(EnterpriseFactory(**{flag: True}))
    assert (duties[PLAN].per_year, len(duties[PLAN].reasons)) == (2, 1)
    assert (duties[EVACUATION].per_year, duties[FIRE].per_year) == (1, 1)


def test_a_fire_key_unit_drills_fire_each_half_year_and_its_plan_yearly(db):
    """公安部61号令 第四十条: the key unit's fire drill each half year; the plan duty keeps its own rule."""
    duties = drill_duties(EnterpriseFactory(is_fire_key_unit=True))
    assert (duties[FIRE].per_year, duties[PLAN].per_year) == (2, 1)
    assert duties[FIRE].reasons == ["消防安全重点单位"]


def test_a_hotel_drills_its_plan_half_yearly_by_its_industry(db):
    """《生产安全事故应急条例》第八条: hotels; the town office ticks the industry once."""
    hotel = EnterpriseFactory(industry=IndustryFactory(name="旅馆业", drills_half_yearly=True))
    assert drill_duties(hotel)[PLAN].reasons == [str(INDUSTRY_HALF_YEARLY_REASON)]
    DrillRecordFactory(enterprise=hotel, date=datetime.date(YEAR, 4, 1))
    row = status_of(hotel, datetime.date(YEAR, 12, 1))
    assert (row.duties[PLAN].status, row.duties[PLAN].due_date) == (
        DUE,
        datetime.date(YEAR, 12, 31),
    )
    assert row.duties[EVACUATION].status == DONE


@pytest.mark.parametrize("risk_class", [RiskClass.HIGH_RISK, RiskClass.CONSTRUCTION])
def test_high_risk_and_construction_drill_their_plan_half_yearly(db, risk_class):
    industry = IndustryFactory(name=f"行业-{risk_class}", risk_class=risk_class)
    assert per_year(EnterpriseFactory(industry=industry))[PLAN] == 2


# --- states ----------------------------------------------------------------------------------


def test_yearly_duties_due_until_year_end_then_overdue(db):
    enterprise = EnterpriseFactory()
    due = status_of(enterprise, datetime.date(YEAR, 12, 31))
    assert (due.status, due.due_date) == (DUE, datetime.date(YEAR, 12, 31))
    assert {state.status for state in due.duties.values()} == {DUE}
    overdue = status_of(enterprise, datetime.date(YEAR + 1, 1, 1))
    assert (overdue.status, overdue.due_date) == (OVERDUE, datetime.date(YEAR, 12, 31))


def test_one_fire_evacuation_drill_of_the_comprehensive_plan_meets_every_yearly_duty(db):
    enterprise = EnterpriseFactory()
    DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 9, 1))
    row = status_of(enterprise, datetime.date(YEAR + 1, 3, 1))
    assert (row.status, row.due_date, row.drills_second_half) == (DONE, None, 1)


def test_a_gas_leak_drill_of_the_on_site_plan_leaves_the_evacuation_duty_open(db):
    """A gas-leak drill evacuates only when the enterprise says so: unticked, it meets the on-site
    plan duty alone; the plan's item 21 still wants an evacuation drill."""
    enterprise = EnterpriseFactory()
    DrillRecordFactory(
        enterprise=enterprise,
        date=datetime.date(YEAR, 3, 1),
        scenario="gas_leak",
        plan_type="on_site",
    )
    row = status_of(enterprise, datetime.date(YEAR, 5, 1))
    assert row.drilled
    assert row.duties[EVACUATION].status == DUE
    assert row.duties[FIRE].status == DUE
    assert (row.status, row.due_date) == (DUE, datetime.date(YEAR, 12, 31))
    assert [state.duty for state in row.open_duties] == [EVACUATION, PLAN, FIRE]


def test_a_fire_key_unit_with_one_fire_drill_in_the_first_half_owes_the_second(db):
    """公安部61号令 第四十条: each half year; a drill in March leaves July–December owed, overdue
    from 1 January."""
    enterprise = EnterpriseFactory(is_fire_key_unit=True)
    DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 3, 15))
    row = status_of(enterprise, datetime.date(YEAR, 7, 1))
    fire = row.duties[FIRE]
    assert (fire.status, fire.due_date, fire.done_first_half) == (
        DUE,
        datetime.date(YEAR, 12, 31),
        1,
    )
    assert (row.duties[EVACUATION].status, row.status) == (DONE, DUE)
    later = status_of(enterprise, datetime.date(YEAR + 1, 1, 1))
    assert (later.duties[FIRE].status, later.status) == (OVERDUE, OVERDUE)
    DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 11, 2))
    assert status_of(enterprise, datetime.date(YEAR + 1, 1, 1)).status == DONE


def test_half_yearly_first_half_due_until_30_june_then_overdue(db):
    enterprise = EnterpriseFactory(is_fire_key_unit=True)
    due = status_of(enterprise, datetime.date(YEAR, 6, 30))
    assert (due.duties[FIRE].status, due.due_date) == (DUE, datetime.date(YEAR, 6, 30))
    overdue = status_of(enterprise, datetime.date(YEAR, 7, 1))
    assert (overdue.status, overdue.due_date) == (OVERDUE, datetime.date(YEAR, 6, 30))
    assert overdue.duties[EVACUATION].status == DUE


def test_two_drills_in_the_first_half_do_not_cover_the_second(db):
    enterprise = EnterpriseFactory(handles_hazardous_chemicals=True)
    DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 1, 10))
    DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 6, 30))
    plan = status_of(enterprise, datetime.date(YEAR, 12, 1)).duties[PLAN]
    assert (plan.done_first_half, plan.done_second_half, plan.status) == (2, 0, DUE)


def test_a_record_dated_after_today_does_not_count(db):
    enterprise = EnterpriseFactory()
    DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 5, 10))
    before = status_of(enterprise, datetime.date(YEAR, 5, 9))
    assert (before.status, before.drilled) == (DUE, False)
    assert status_of(enterprise, datetime.date(YEAR, 5, 10)).status == DONE


def test_a_record_with_more_information_requested_does_not_count(db):
    enterprise = EnterpriseFactory()
    DrillRecordFactory(
        enterprise=enterprise,
        date=datetime.date(YEAR, 5, 1),
        review_status=ReviewStatus.MORE_INFORMATION,
    )
    row = status_of(enterprise, datetime.date(YEAR, 5, 2))
    assert (row.status, row.drilled) == (DUE, False)
    DrillRecordFactory(
        enterprise=enterprise, date=datetime.date(YEAR, 5, 3), review_status=ReviewStatus.ACCEPTED
    )
    assert status_of(enterprise, datetime.date(YEAR, 5, 4)).status == DONE


def test_drills_of_another_year_do_not_count(db):
    enterprise = EnterpriseFactory()
    DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR - 1, 12, 31))
    assert status_of(enterprise, datetime.date(YEAR, 2, 1)).status == DUE


def test_filters_by_duty_and_state(db):
    key_unit = EnterpriseFactory(name="重点单位", is_fire_key_unit=True)
    plain = EnterpriseFactory(name="普通企业")
    for enterprise in (key_unit, plain):
        DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 3, 1))
    rows = drill_obligation_status(
        enterprises=Enterprise.objects.all(),
        year=YEAR,
        today=datetime.date(YEAR, 8, 1),
        duty=FIRE,
        status=DUE,
    )
    assert [row.enterprise_name for row in rows] == ["重点单位"]
    on_site = drill_obligation_status(
        enterprises=Enterprise.objects.all(),
        year=YEAR,
        today=datetime.date(YEAR, 8, 1),
        duty=ON_SITE,
    )
    assert on_site == []


# --- constant queries ------------------------------------------------------------------------


def make_enterprises(count):
    industry = IndustryFactory(name="危化", risk_class=RiskClass.HIGH_RISK)
    for n in range(count):
        enterprise = EnterpriseFactory(
            industry=industry if n % 3 == 0 else IndustryFactory(name="机械"),
            is_fire_key_unit=n % 4 == 0,
        )
        if n % 2 == 0:
            DrillRecordFactory(
                enterprise=enterprise,
                date=datetime.date(YEAR, 3 + n % 8, 1),
                scenario=["fire_evacuation", "gas_leak", "earthquake"][n % 3],
            )


@pytest.mark.parametrize("count", [5, 50])
def test_two_queries_whatever_the_number_of_enterprises(db, django_assert_max_num_queries, count):
    make_enterprises(count)
    with django_assert_max_num_queries(2):
        rows = drill_obligation_status(
            enterprises=Enterprise.objects.all(), year=YEAR, today=datetime.date(YEAR, 8, 1)
        )
    assert len(rows) == count


@pytest.mark.parametrize(
    "today",
    [
        datetime.date(YEAR, 6, 15),
        datetime.date(YEAR, 7, 1),
        datetime.date(YEAR, 12, 7),
        # Last year's drills in January: overdue ones stay overdue.
        datetime.date(YEAR + 1, 1, 15),
    ],
)
def test_enterprises_judged_together_as_each_alone(db, today):
    """Enterprises sharing their facts (and their drills) are judged once; each keeps its own
    drills: done, due and overdue, yearly and half-yearly duties side by side."""
    make_enterprises(24)
    # Same facts as a plain one, with a drill of another kind in each half.
    twin = EnterpriseFactory(industry=IndustryFactory(name="机械"))
    DrillRecordFactory(enterprise=twin, date=datetime.date(YEAR, 2, 1), plan_type="on_site")
    DrillRecordFactory(enterprise=twin, date=datetime.date(YEAR, 8, 1))
    together = drill_obligation_status(enterprises=Enterprise.objects.all(), year=YEAR, today=today)
    duty_states = {state.status for row in together for state in row.duties.values()}
    assert DONE in duty_states and duty_states & {DUE, OVERDUE}
    for row in together:
        alone = status_of(Enterprise.objects.get(pk=row.enterprise_id), today)
        assert row == alone

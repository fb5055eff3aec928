"""Drill obligations: the rule table, status around the half-year and year deadlines, and a
constant number of queries whatever the number of enterprises."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.constants import RiskClass
from directory.models import Enterprise
from tests.factories import EnterpriseFactory, IndustryFactory
from tests.factories.drills import DrillRecordFactory
from training.drills.rules import INDUSTRY_HALF_YEARLY_REASON, drill_requirement
from training.drills.selectors.obligations import DONE, DUE, OVERDUE, drill_obligation_status
from training.models import ReviewStatus

YEAR = 2026


def status_of(enterprise, today, year=YEAR):
    (row,) = drill_obligation_status(
        enterprises=Enterprise.objects.filter(pk=enterprise.pk), year=year, today=today
    )
    return row


@pytest.mark.parametrize(
    "flag", ["is_fire_key_unit", "handles_hazardous_chemicals", "is_crowded_place"]
)
def test_each_flag_makes_drills_half_yearly(db, flag):
    requirement = drill_requirement(EnterpriseFactory(**{flag: True}))
    assert requirement.per_year == 2
    assert len(requirement.reasons) == 1


def test_a_hotel_drills_half_yearly_by_its_industry_with_no_flag_ticked(db):
    """《生产安全事故应急条例》第八条: hotels (宾馆) drill every half year. The town office ticks the
    industry once (Industry.drills_half_yearly); no enterprise flag is needed, and a drill in the
    first half alone leaves the second half owed."""
    hotels = IndustryFactory(name="旅馆业", drills_half_yearly=True)
    hotel = EnterpriseFactory(industry=hotels)
    requirement = drill_requirement(hotel)
    assert requirement.per_year == 2
    assert requirement.reasons == [str(INDUSTRY_HALF_YEARLY_REASON)]
    DrillRecordFactory(enterprise=hotel, date=datetime.date(YEAR, 4, 1))
    row = status_of(hotel, datetime.date(YEAR, 12, 1))
    assert (row.status, row.due_date) == (DUE, datetime.date(YEAR, 12, 31))


def test_an_unticked_general_industry_drills_yearly(db):
    """徐泾镇三年行动方案 第21条: one drill a year is the baseline."""
    industry = IndustryFactory(name="机械制造", drills_half_yearly=False)
    assert drill_requirement(EnterpriseFactory(industry=industry)).per_year == 1


@pytest.mark.parametrize("risk_class", [RiskClass.HIGH_RISK, RiskClass.CONSTRUCTION])
def test_high_risk_and_construction_industries_drill_half_yearly(db, risk_class):
    industry = IndustryFactory(name=f"行业-{risk_class}", risk_class=risk_class)
    assert drill_requirement(EnterpriseFactory(industry=industry)).per_year == 2


@pytest.mark.parametrize("risk_class", [RiskClass.GENERAL, RiskClass.ROAD_TRANSPORT])
def test_plain_enterprise_drills_once_a_year(db, risk_class):
    industry = IndustryFactory(name=f"行业-{risk_class}", risk_class=risk_class)
    requirement = drill_requirement(EnterpriseFactory(industry=industry))
    assert (requirement.per_year, requirement.reasons) == (1, [])


def test_several_reasons_are_all_listed(db):
    enterprise = EnterpriseFactory(is_fire_key_unit=True, is_crowded_place=True)
    assert len(drill_requirement(enterprise).reasons) == 2


# --- status ----------------------------------------------------------------------------------


def test_yearly_obligation_due_until_year_end_then_overdue(db):
    enterprise = EnterpriseFactory()
    due = status_of(enterprise, datetime.date(YEAR, 12, 31))
    assert (due.required, due.status, due.due_date) == (1, DUE, datetime.date(YEAR, 12, 31))
    overdue = status_of(enterprise, datetime.date(YEAR + 1, 1, 1))
    assert (overdue.status, overdue.due_date) == (OVERDUE, datetime.date(YEAR, 12, 31))


def test_yearly_obligation_done_by_one_drill_in_either_half(db):
    enterprise = EnterpriseFactory()
    DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 9, 1))
    row = status_of(enterprise, datetime.date(YEAR + 1, 3, 1))
    assert (row.status, row.due_date, row.done_second_half) == (DONE, None, 1)


def test_half_yearly_first_half_due_until_30_june_then_overdue(db):
    enterprise = EnterpriseFactory(is_fire_key_unit=True)
    due = status_of(enterprise, datetime.date(YEAR, 6, 30))
    assert (due.required, due.status, due.due_date) == (2, DUE, datetime.date(YEAR, 6, 30))
    overdue = status_of(enterprise, datetime.date(YEAR, 7, 1))
    assert (overdue.status, overdue.due_date) == (OVERDUE, datetime.date(YEAR, 6, 30))


def test_half_yearly_second_drill_due_by_31_december(db):
    enterprise = EnterpriseFactory(is_fire_key_unit=True)
    DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 3, 15))
    due = status_of(enterprise, datetime.date(YEAR, 7, 1))
    assert (due.status, due.due_date, due.done_first_half) == (DUE, datetime.date(YEAR, 12, 31), 1)
    assert status_of(enterprise, datetime.date(YEAR + 1, 1, 1)).status == OVERDUE
    DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 11, 2))
    assert status_of(enterprise, datetime.date(YEAR + 1, 1, 1)).status == DONE


def test_two_drills_in_the_first_half_do_not_cover_the_second(db):
    enterprise = EnterpriseFactory(handles_hazardous_chemicals=True)
    DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 1, 10))
    DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 6, 30))
    row = status_of(enterprise, datetime.date(YEAR, 12, 1))
    assert (row.done_first_half, row.done_second_half, row.status) == (2, 0, DUE)


def test_records_sent_back_for_more_information_do_not_count(db):
    enterprise = EnterpriseFactory()
    DrillRecordFactory(
        enterprise=enterprise,
        date=datetime.date(YEAR, 5, 1),
        review_status=ReviewStatus.MORE_INFORMATION,
    )
    assert status_of(enterprise, datetime.date(YEAR, 5, 2)).status == DUE
    DrillRecordFactory(
        enterprise=enterprise, date=datetime.date(YEAR, 5, 3), review_status=ReviewStatus.ACCEPTED
    )
    assert status_of(enterprise, datetime.date(YEAR, 5, 4)).status == DONE


def test_drills_of_another_year_do_not_count(db):
    enterprise = EnterpriseFactory()
    DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR - 1, 12, 31))
    assert status_of(enterprise, datetime.date(YEAR, 2, 1)).status == DUE


# --- constant queries ------------------------------------------------------------------------


def make_enterprises(count):
    industry = IndustryFactory(name="危化", risk_class=RiskClass.HIGH_RISK)
    for n in range(count):
        enterprise = EnterpriseFactory(
            industry=industry if n % 3 == 0 else IndustryFactory(name="机械"),
            is_fire_key_unit=n % 4 == 0,
        )
        if n % 2 == 0:
            DrillRecordFactory(enterprise=enterprise, date=datetime.date(YEAR, 3 + n % 8, 1))


def query_count(enterprises):
    with CaptureQueriesContext(connection) as queries:
        rows = drill_obligation_status(
            enterprises=enterprises, year=YEAR, today=datetime.date(YEAR, 8, 1)
        )
    return len(queries), rows


def test_query_count_is_the_same_for_5_and_50_enterprises(db):
    make_enterprises(5)
    few, rows = query_count(Enterprise.objects.all())
    assert len(rows) == 5
    make_enterprises(45)
    many, rows = query_count(Enterprise.objects.all())
    assert len(rows) == 50
    assert few == many == 2

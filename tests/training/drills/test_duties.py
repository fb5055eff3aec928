"""Drill duties by kind (training.drills.rules, regulations.md §4): what each kind of enterprise
owes and how often, and which duties a drill of each scenario and plan type meets."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from directory.constants import RiskClass
from tests.factories.directory import EnterpriseFactory, IndustryFactory
from tests.factories.drills import DrillRecordFactory
from training.drills.rules import (
    HALF_YEARLY,
    YEARLY,
    DrillDuty,
    drill_duties,
    duties_allowed,
    duties_implied,
    duty_refusal,
    record_duties,
)
from training.drills.services.records import drill_record_check
from training.models import DrillScenario, PlanType

pytestmark = pytest.mark.django_db

EVAC, PLAN, ON_SITE, FIRE = (
    DrillDuty.EVACUATION,
    DrillDuty.PLAN,
    DrillDuty.ON_SITE,
    DrillDuty.FIRE,
)


def periods(enterprise, *, keeps_on_site_plan=False) -> dict[str, int]:
    enterprise.keeps_on_site_plan = keeps_on_site_plan
    return {duty: rule.per_year for duty, rule in drill_duties(enterprise).items()}


def general_industry(**kwargs):
    return IndustryFactory(risk_class=RiskClass.GENERAL, drills_half_yearly=False, **kwargs)


def test_general_enterprise_owes_each_duty_once_a_year():
    """徐泾镇三年行动方案 第21条 (evacuation), 《生产安全事故应急预案管理办法》第三十三条 (plan),
    公安部61号令 第四十条 (fire, other units): each at least once a year; no on-site duty
    without an on-site plan."""
    enterprise = EnterpriseFactory(industry=general_industry())
    assert periods(enterprise) == {EVAC: YEARLY, PLAN: YEARLY, FIRE: YEARLY}


def test_fire_key_unit_owes_a_fire_drill_each_half_year():
    """公安部61号令 第四十条: 消防安全重点单位 drill every half year; the plan duty stays
    yearly (第八条 of 708号令 does not list fire key units)."""
    enterprise = EnterpriseFactory(industry=general_industry(), is_fire_key_unit=True)
    assert periods(enterprise) == {EVAC: YEARLY, PLAN: YEARLY, FIRE: HALF_YEARLY}
    assert drill_duties(enterprise)[FIRE].reasons == ["消防安全重点单位"]


def test_hotel_owes_a_plan_drill_each_half_year_by_its_industry():
    """《生产安全事故应急条例》(708号令) 第八条: hotels drill their plans every half year; the
    town office marks the industry 每半年演练."""
    hotels = IndustryFactory(name="旅馆业", risk_class=RiskClass.GENERAL, drills_half_yearly=True)
    enterprise = EnterpriseFactory(industry=hotels)
    assert periods(enterprise) == {EVAC: YEARLY, PLAN: HALF_YEARLY, FIRE: YEARLY}
    assert drill_duties(enterprise)[PLAN].reasons == ["所属行业每半年演练"]


def test_hazardous_chemicals_owe_a_plan_drill_each_half_year():
    """《生产安全事故应急条例》第八条: units handling hazardous chemicals."""
    enterprise = EnterpriseFactory(industry=general_industry(), handles_hazardous_chemicals=True)
    assert periods(enterprise) == {EVAC: YEARLY, PLAN: HALF_YEARLY, FIRE: YEARLY}


def test_on_site_plan_is_drilled_each_half_year():
    """《生产安全事故应急预案管理办法》第三十三条: the on-site disposal plan every half year."""
    enterprise = EnterpriseFactory(industry=general_industry())
    assert periods(enterprise, keeps_on_site_plan=True) == {
        EVAC: YEARLY,
        PLAN: YEARLY,
        ON_SITE: HALF_YEARLY,
        FIRE: YEARLY,
    }


# Per scenario: (implied by the scenario, allowed besides) — 公安部61号令 第四十条 (the fire drill
# is the 灭火和应急疏散预案's drill), 徐泾镇三年行动方案 第21条 (evacuation).
SCENARIOS = {
    DrillScenario.FIRE_EVACUATION: ({EVAC, FIRE}, set()),
    DrillScenario.EARTHQUAKE: ({EVAC}, set()),
    DrillScenario.HAZARDOUS_CHEMICAL_LEAK: (set(), {EVAC}),
    DrillScenario.GAS_LEAK: (set(), {EVAC}),
    DrillScenario.OTHER: (set(), {EVAC}),
    DrillScenario.CONFINED_SPACE_RESCUE: (set(), set()),
}
# Per plan type, the duty it implies (《生产安全事故应急预案管理办法》第三十三条).
PLAN_TYPES = {PlanType.COMPREHENSIVE: PLAN, PlanType.SPECIAL: PLAN, PlanType.ON_SITE: ON_SITE}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
@pytest.mark.parametrize("plan_type", list(PLAN_TYPES))
def test_each_kind_implies_allows_and_refuses(scenario, plan_type):
    by_scenario, maybe = SCENARIOS[scenario]
    implied = by_scenario | {PLAN_TYPES[plan_type]}
    assert duties_implied(scenario=scenario, plan_type=plan_type) == implied
    assert duties_allowed(scenario=scenario, plan_type=plan_type) == implied | maybe
    impossible = set(DrillDuty.values) - implied - maybe
    met, refused = record_duties(scenario=scenario, plan_type=plan_type, claimed=DrillDuty.values)
    assert met == implied | maybe
    assert refused == [
        duty_refusal(duty, scenario=scenario, plan_type=plan_type)
        for duty in DrillDuty.values
        if duty in impossible
    ]


def test_refusals_are_in_chinese_and_name_the_duty():
    assert duty_refusal(FIRE, scenario="gas_leak", plan_type="special") == (
        "消防演练：只有火灾疏散演练才能满足消防演练义务。"
    )
    assert duty_refusal(EVAC, scenario="confined_space_rescue", plan_type="special").startswith(
        "疏散演练："
    )


def test_save_settles_the_duties_by_kind():
    """Implied duties are set on save, impossible ones dropped (the record keeps only what its
    kind can meet)."""
    record = DrillRecordFactory(
        scenario="confined_space_rescue", plan_type="on_site", meets_evacuation=True
    )
    record.refresh_from_db()
    assert record.duties == {ON_SITE}
    record.scenario = "fire_evacuation"
    record.save(update_fields=["scenario"])
    record.refresh_from_db()
    assert record.duties == {EVAC, FIRE, ON_SITE}


def test_clean_refuses_a_claimed_duty_the_kind_cannot_meet():
    record = DrillRecordFactory.build(
        enterprise=EnterpriseFactory(), scenario="gas_leak", plan_type="special", meets_fire=True
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict["scenario"] == [
        "消防演练：只有火灾疏散演练才能满足消防演练义务。"
    ]


def test_the_shared_check_refuses_impossible_duties_and_future_dates():
    today = datetime.date(2026, 9, 1)
    assert (
        drill_record_check(
            date=today, scenario="gas_leak", plan_type="on_site", duties=[EVAC], today=today
        )
        == {}
    )
    errors = drill_record_check(
        date=today + datetime.timedelta(days=1),
        scenario="earthquake",
        plan_type="special",
        duties=[ON_SITE],
        today=today,
    )
    assert errors == {
        "date": ["演练日期不能晚于今天。"],
        "duties": ["现场处置方案演练：只有现场处置方案的演练才能满足。"],
    }

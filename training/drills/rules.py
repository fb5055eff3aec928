"""Drill obligations (regulations.md §4) as data: the duties an enterprise owes a year, how often,
and why; which duties a drill record meets.

A half-yearly duty means a drill meeting it in each half (January–June, July–December); a yearly one
means at least one in the calendar year.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.constants import RiskClass

YEARLY = 1
HALF_YEARLY = 2

# Enterprise flags that make a duty half-yearly, with the rule each comes from (the fire-safety key
# unit: the fire duty; the others: the comprehensive-or-special plan duty).
HALF_YEARLY_FLAGS: list[tuple[str, str]] = [
    # 公安部61号令 第四十条: 消防安全重点单位 drill every half year.
    ("is_fire_key_unit", _("Fire-safety key unit")),
    # 《生产安全事故应急条例》第八条: units producing, operating, storing or transporting
    # flammable, explosive or hazardous chemicals.
    ("handles_hazardous_chemicals", _("Handles hazardous chemicals")),
    # 《生产安全事故应急条例》第八条: hotels, shopping malls, entertainment venues, scenic spots.
    ("is_crowded_place", _("Crowded place")),
]

# An industry ticked by the town office (directory.Industry.drills_half_yearly) makes drills
# half-yearly: 《生产安全事故应急条例》第八条 (hotels, shopping malls, entertainment venues, scenic
# spots, flammable/explosive goods, urban rail …).
INDUSTRY_HALF_YEARLY_FLAG = "drills_half_yearly"
INDUSTRY_HALF_YEARLY_REASON = _("Industry drills every half year")

# Industry risk classes that make drills half-yearly.
HALF_YEARLY_RISK_CLASSES: dict[str, str] = {
    # 《生产安全事故应急条例》第八条: mines, metal smelting, hazardous chemicals.
    RiskClass.HIGH_RISK: _("High-risk industry"),
    # 《生产安全事故应急条例》第八条: construction units.
    RiskClass.CONSTRUCTION: _("Construction"),
}


# 《生产安全事故应急预案管理办法》第三十三条: an enterprise that keeps an on-site disposal plan
# (现场处置方案) drills that plan every half year. The flag lives on training.DrillProfile and is
# read here as the attribute `keeps_on_site_plan` (annotated by the obligation selector).
ON_SITE_PLAN_FLAG = "keeps_on_site_plan"
ON_SITE_PLAN_REASON = _("Keeps an on-site disposal plan")
# The same flag as a lookup from the enterprise (for SQL: reports.metrics.drills).
ON_SITE_PLAN_LOOKUP = "drill_profile__keeps_on_site_plan"


def on_site_plan_q() -> Q:
    """SQL form of `keeps_on_site_plan` over Enterprise (no profile: False)."""
    return Q(**{ON_SITE_PLAN_LOOKUP: True})


def first_half_deadline(year: int) -> datetime.date:
    return datetime.date(year, 6, 30)


def year_deadline(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


# --- Duties by kind --------------------------------------------------------------------------
# An enterprise owes a set of drill duties a year; a drill record meets only the duties of its
# kind (its scenario and the plan it exercises). Each duty has its period (yearly or each half
# year) and the rule it comes from.


class DrillDuty(models.TextChoices):
    # 徐泾镇三年行动方案 第21条: every enterprise at least one evacuation drill a year.
    EVACUATION = "evacuation", _("Evacuation drill")
    # 《生产安全事故应急预案管理办法》第三十三条: the comprehensive plan or a special plan at least
    # once a year; 《生产安全事故应急条例》第八条: each half year for the units it lists.
    PLAN = "plan", _("Comprehensive or special plan drill")
    # 《生产安全事故应急预案管理办法》第三十三条: the on-site disposal plan at least each half year.
    ON_SITE = "on_site", _("On-site disposal plan drill")
    # 公安部61号令 第四十条: 消防安全重点单位 each half year, other units at least once a year.
    FIRE = "fire", _("Fire drill")


# The record field that says a record meets a duty.
DUTY_FIELDS: dict[str, str] = {duty: f"meets_{duty}" for duty in DrillDuty.values}

# Scenarios whose drill is an evacuation drill by what it is, and those whose drill may include
# an evacuation (the enterprise says so); the others (a confined-space rescue) never meet it.
EVACUATION_SCENARIOS = {"fire_evacuation", "earthquake"}
MAY_EVACUATE_SCENARIOS = {"hazardous_chemical_leak", "gas_leak", "other"}
# 公安部61号令 第四十条: the fire drill exercises the 灭火和应急疏散预案.
FIRE_SCENARIOS = {"fire_evacuation"}
# The plans that meet the comprehensive-or-special duty, and the on-site one.
PLAN_TYPES_FOR_PLAN_DUTY = {"comprehensive", "special"}
PLAN_TYPES_FOR_ON_SITE_DUTY = {"on_site"}


def duties_implied(*, scenario: str, plan_type: str) -> set[str]:
    """The duties a drill of this kind meets by what it is."""
    duties = set()
    if scenario in EVACUATION_SCENARIOS:
        duties.add(DrillDuty.EVACUATION)
    if scenario in FIRE_SCENARIOS:
        duties.add(DrillDuty.FIRE)
    if plan_type in PLAN_TYPES_FOR_PLAN_DUTY:
        duties.add(DrillDuty.PLAN)
    if plan_type in PLAN_TYPES_FOR_ON_SITE_DUTY:
        duties.add(DrillDuty.ON_SITE)
    return duties


def duties_allowed(*, scenario: str, plan_type: str) -> set[str]:
    """The duties a drill of this kind may meet: those it implies, and an evacuation where the
    scenario may include one."""
    allowed = duties_implied(scenario=scenario, plan_type=plan_type)
    if scenario in MAY_EVACUATE_SCENARIOS:
        allowed.add(DrillDuty.EVACUATION)
    return allowed


def duty_refusal(duty: str, *, scenario: str, plan_type: str) -> str:
    """Why a drill of this kind cannot meet a duty (for the form, the import and clean())."""
    label = DrillDuty(duty).label
    if duty == DrillDuty.FIRE:
        return _("%(duty)s: only a fire evacuation drill meets the fire-drill duty.") % {
            "duty": label
        }
    if duty == DrillDuty.PLAN:
        return _("%(duty)s: only a drill of the comprehensive or a special plan meets it.") % {
            "duty": label
        }
    if duty == DrillDuty.ON_SITE:
        return _("%(duty)s: only a drill of the on-site disposal plan meets it.") % {"duty": label}
    return _("%(duty)s: a drill of this scenario does not evacuate anyone.") % {"duty": label}


def record_duties(*, scenario: str, plan_type: str, claimed=()) -> tuple[set[str], list[str]]:
    """The duties a record meets (implied ∪ claimed), and the refusals for claimed duties the
    kind cannot meet."""
    allowed = duties_allowed(scenario=scenario, plan_type=plan_type)
    refused = [
        duty_refusal(duty, scenario=scenario, plan_type=plan_type)
        for duty in DrillDuty.values
        if duty in set(claimed) and duty not in allowed
    ]
    met = duties_implied(scenario=scenario, plan_type=plan_type) | (set(claimed) & allowed)
    return met, refused


@dataclass(frozen=True)
class DutyRule:
    """One duty an enterprise owes in a year: how many times (1 = yearly, 2 = each half year)
    and why, when more than once."""

    duty: str
    per_year: int
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(DrillDuty(self.duty).label)


def plan_half_yearly_reasons(enterprise) -> list[str]:
    """Why the comprehensive-or-special plan drill is owed each half year
    (《生产安全事故应急条例》第八条: hazardous chemicals, hotels, malls, entertainment venues,
    scenic spots, construction, mines and smelting …); needs `industry`."""
    reasons = [
        str(label)
        for name, label in HALF_YEARLY_FLAGS
        if name != "is_fire_key_unit" and getattr(enterprise, name)
    ]
    risk_class = enterprise.industry.risk_class
    if risk_class in HALF_YEARLY_RISK_CLASSES:
        reasons.append(str(HALF_YEARLY_RISK_CLASSES[risk_class]))
    elif getattr(enterprise.industry, INDUSTRY_HALF_YEARLY_FLAG):
        reasons.append(str(INDUSTRY_HALF_YEARLY_REASON))
    return reasons


def drill_duties(enterprise) -> dict[str, DutyRule]:
    """The duties an enterprise owes a year; needs its flags, `industry` and the attribute
    `keeps_on_site_plan` (annotated by the obligation selector, see ON_SITE_PLAN_FLAG)."""
    duties = {DrillDuty.EVACUATION: DutyRule(DrillDuty.EVACUATION, YEARLY)}
    plan_reasons = plan_half_yearly_reasons(enterprise)
    duties[DrillDuty.PLAN] = DutyRule(
        DrillDuty.PLAN, HALF_YEARLY if plan_reasons else YEARLY, plan_reasons
    )
    if getattr(enterprise, ON_SITE_PLAN_FLAG, False):
        duties[DrillDuty.ON_SITE] = DutyRule(
            DrillDuty.ON_SITE, HALF_YEARLY, [str(ON_SITE_PLAN_REASON)]
        )
    if enterprise.is_fire_key_unit:
        duties[DrillDuty.FIRE] = DutyRule(
            DrillDuty.FIRE, HALF_YEARLY, [str(HALF_YEARLY_FLAGS[0][1])]
        )
    else:
        duties[DrillDuty.FIRE] = DutyRule(DrillDuty.FIRE, YEARLY)
    return duties


# SQL forms over Enterprise of the same rules, so that metrics and the drill module cannot
# disagree (tests/reports/test_drill_parity.py holds them together).


def plan_half_yearly_q() -> Q:
    """SQL form of `plan_half_yearly_reasons(enterprise)` being non-empty."""
    q = Q(industry__risk_class__in=list(HALF_YEARLY_RISK_CLASSES)) | Q(
        **{f"industry__{INDUSTRY_HALF_YEARLY_FLAG}": True}
    )
    for name, _label in HALF_YEARLY_FLAGS:
        if name != "is_fire_key_unit":
            q |= Q(**{name: True})
    return q


# Conditions that always / never hold (an empty Q() cannot be a When() condition).
ALL = Q(pk__isnull=False)
NONE = Q(pk__in=[])


def duty_applies_q(duty: str) -> Q:
    """The enterprises that owe the duty at all."""
    if duty == DrillDuty.ON_SITE:
        return on_site_plan_q()
    return ALL


def duty_half_yearly_q(duty: str) -> Q:
    """The enterprises that owe the duty each half year (among those it applies to)."""
    if duty == DrillDuty.PLAN:
        return plan_half_yearly_q()
    if duty == DrillDuty.ON_SITE:
        return ALL
    if duty == DrillDuty.FIRE:
        return Q(is_fire_key_unit=True)
    return NONE


def record_meets_q(duty: str, prefix: str = "") -> Q:
    """SQL form over DrillRecord (or a relation to it, with `prefix`) of a record meeting a duty."""
    return Q(**{f"{prefix}{DUTY_FIELDS[duty]}": True})

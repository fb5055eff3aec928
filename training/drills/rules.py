"""Drill obligations (regulations.md §4) as data: how many drills a year an enterprise owes, and why.

A half-yearly obligation means one drill in each half (January–June, July–December); the yearly one
means at least one drill in the calendar year.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.constants import RiskClass

YEARLY = 1
HALF_YEARLY = 2

# Every active enterprise: at least one evacuation drill a year.
# 徐泾镇三年行动方案 第21条; 《生产安全事故应急预案管理办法》第三十三条; 公安部61号令 第四十条 (other units).
BASELINE_PER_YEAR = YEARLY

# Enterprise flags that make drills half-yearly, with the rule each comes from.
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


def half_yearly_q() -> Q:
    """SQL form of `drill_requirement(...).per_year == HALF_YEARLY` over Enterprise, built from the
    same tables, so the metric's SQL and the drill module's Python cannot disagree on who owes a
    drill each half year (tests/reports/test_drill_parity.py holds them together)."""
    half_yearly = (
        Q(industry__risk_class__in=list(HALF_YEARLY_RISK_CLASSES))
        | Q(**{f"industry__{INDUSTRY_HALF_YEARLY_FLAG}": True})
        | on_site_plan_q()
    )
    for name, _label in HALF_YEARLY_FLAGS:
        half_yearly |= Q(**{name: True})
    return half_yearly


@dataclass(frozen=True)
class Requirement:
    """Drills owed in a year, and the reasons when more than the baseline.

    With `on_site_each_half`, the drill of each half must exercise the on-site disposal plan.
    """

    per_year: int
    reasons: list[str] = field(default_factory=list)
    on_site_each_half: bool = False


def drill_requirement(enterprise) -> Requirement:
    """The drills an enterprise owes a year; needs its flags, `industry.risk_class` and
    `industry.drills_half_yearly`."""
    reasons = [str(label) for name, label in HALF_YEARLY_FLAGS if getattr(enterprise, name)]
    risk_class = enterprise.industry.risk_class
    if risk_class in HALF_YEARLY_RISK_CLASSES:
        reasons.append(str(HALF_YEARLY_RISK_CLASSES[risk_class]))
    elif getattr(enterprise.industry, INDUSTRY_HALF_YEARLY_FLAG):
        reasons.append(str(INDUSTRY_HALF_YEARLY_REASON))
    on_site = bool(getattr(enterprise, ON_SITE_PLAN_FLAG, False))
    if on_site:
        reasons.append(str(ON_SITE_PLAN_REASON))
    return Requirement(
        per_year=HALF_YEARLY if reasons else BASELINE_PER_YEAR,
        reasons=reasons,
        on_site_each_half=on_site,
    )


def first_half_deadline(year: int) -> datetime.date:
    return datetime.date(year, 6, 30)


def year_deadline(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def half_of(day: datetime.date) -> int:
    return 1 if day.month <= 6 else 2

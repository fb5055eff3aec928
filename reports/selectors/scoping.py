"""Who sees which part of the town's coverage, and the scoping of targets and exemplary enterprises.

The town office sees the whole town, a department officer its department's enterprises, a village
officer its village's; any narrower scope a user asks for keeps the user's own filter.
"""

from django.db.models import Q, QuerySet

from directory.constants import AccountRole
from directory.models import User
from directory.scoping import narrow_to_unit, unit_of
from directory.selectors import enterprises_visible_to
from reports.metrics import Scope
from reports.models import ExemplaryEnterprise, MonthlyReport, Target
from reports.selectors.monthly import monthly_reports_editable_by, monthly_reports_visible_to

DASHBOARD_ROLES = {
    AccountRole.TOWN_OFFICE,
    AccountRole.DEPARTMENT_OFFICER,
    AccountRole.VILLAGE_OFFICER,
}


def dashboard_scope_for(user: User) -> Scope | None:
    """The widest scope a user's dashboard covers; None when the user has no dashboard."""
    unit = unit_of(user)
    if unit is None or unit.kind == "enterprise":
        return None
    return Scope() if unit.kind == "town" else Scope(**{f"{unit.kind}_id": unit.pk})


def figures_scope_for(user: User) -> Scope | None:
    """The scope of the figures a user reads: the dashboard's, or an enterprise manager's own
    enterprise (the figures on their home and the lists behind them; no dashboard)."""
    unit = unit_of(user)
    if unit is not None and unit.kind == "enterprise":
        return Scope(enterprise_id=unit.pk) if unit.pk else None
    return dashboard_scope_for(user)


def scope_requested(
    user: User, *, department=None, village=None, industry=None, enterprise_ok: bool = False
) -> Scope | None:
    """A narrower scope asked for in a link, never wider than the user's own; with
    `enterprise_ok`, an enterprise manager's is their enterprise (nothing narrower)."""
    base = figures_scope_for(user) if enterprise_ok else dashboard_scope_for(user)
    if base is None:
        return None
    if base.enterprise_id:
        return base

    def as_id(value):
        try:
            return int(value) if value else None
        except (TypeError, ValueError):
            return None

    asked = {
        "department_id": as_id(department),
        "village_id": as_id(village),
        "industry_id": as_id(industry),
    }
    # The user's own filter wins over anything in the link.
    for name, value in base.__dict__.items():
        if value:
            asked[name] = value
    return base.narrowed(**asked)


def targets_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[Target]:
    qs = Target.objects.all() if queryset is None else queryset
    # The town's own targets are every unit's to read.
    return narrow_to_unit(
        qs, user, department="department", village="village", shared=Q(scope="town")
    )


def targets_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[Target]:
    qs = Target.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user)


def exemplary_visible_to(
    user: User, queryset: QuerySet | None = None
) -> QuerySet[ExemplaryEnterprise]:
    qs = ExemplaryEnterprise.objects.all() if queryset is None else queryset
    return qs.filter(enterprise__in=enterprises_visible_to(user))


def exemplary_editable_by(
    user: User, queryset: QuerySet | None = None
) -> QuerySet[ExemplaryEnterprise]:
    qs = ExemplaryEnterprise.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user)


SCOPES = {
    Target: (targets_visible_to, targets_editable_by),
    ExemplaryEnterprise: (exemplary_visible_to, exemplary_editable_by),
    MonthlyReport: (monthly_reports_visible_to, monthly_reports_editable_by),
}

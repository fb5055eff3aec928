"""Reads of the sub-plans: who sees which, and each member unit's standing in a round."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from directory.constants import AccountRole
from directory.models import User
from directory.scoping import account_role, narrow_to_unit, scope_register
from plan.subplans.models import SubPlan, SubPlanRound, SubPlanStatus, SubPlanVersion
from reports.selectors.monthly import ReportingUnit, reporting_unit_of, reporting_units

UNIT_ROLES = frozenset({AccountRole.DEPARTMENT_OFFICER, AccountRole.VILLAGE_OFFICER})


def subplans_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[SubPlan]:
    """The town office sees every sub-plan; a department or village its own."""
    qs = SubPlan.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user, department="department", village="village")


def subplans_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[SubPlan]:
    """The unit uploads its own, the town office reviews (state checks in the services)."""
    return subplans_visible_to(user, queryset)


def versions_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[SubPlanVersion]:
    qs = SubPlanVersion.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user, department="subplan__department", village="subplan__village")


def rounds_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[SubPlanRound]:
    """Every round is read by the town office and every member unit."""
    qs = SubPlanRound.objects.all() if queryset is None else queryset
    role = account_role(user)
    if role == AccountRole.TOWN_OFFICE or role in UNIT_ROLES:
        return qs
    return qs.none()


def rounds_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[SubPlanRound]:
    qs = SubPlanRound.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user)


def scopes_register() -> None:
    scope_register(SubPlan, visible=subplans_visible_to, editable=subplans_editable_by)
    scope_register(SubPlanVersion, visible=versions_visible_to, editable=versions_visible_to)
    scope_register(SubPlanRound, visible=rounds_visible_to, editable=rounds_editable_by)


def submitted_on_time(subplan: SubPlan, deadline: datetime.date) -> bool:
    """Met the deadline: the first upload was made on or before the deadline (town's time)."""
    return timezone.localdate(subplan.submitted_at) <= deadline


@dataclass(frozen=True)
class UnitStanding:
    """A member unit in a round: its sub-plan (None when it has sent none) and how it stands."""

    unit: ReportingUnit
    subplan: SubPlan | None
    deadline: datetime.date

    @property
    def status(self) -> str:
        return self.subplan.status if self.subplan else SubPlanStatus.MISSING

    @property
    def status_label(self) -> str:
        return SubPlanStatus(self.status).label

    @property
    def submitted_on(self) -> datetime.date | None:
        return timezone.localdate(self.subplan.submitted_at) if self.subplan else None

    @property
    def on_time(self) -> bool | None:
        """True / False once submitted; None while nothing was sent."""
        if self.subplan is None:
            return None
        return submitted_on_time(self.subplan, self.deadline)


def round_standings(
    subplan_round: SubPlanRound, *, viewer: User, status: str | None = None
) -> list[UnitStanding]:
    """Every member unit the viewer sees (all for the town office, its own for a unit) with its
    sub-plan in the round, optionally only those in `status` (SubPlanStatus, MISSING included)."""
    own = reporting_unit_of(viewer)
    if account_role(viewer) == AccountRole.TOWN_OFFICE:
        units = reporting_units()
    elif own is not None:
        units = [own]
    else:
        return []
    subplans = (
        subplans_visible_to(viewer)
        .filter(round=subplan_round)
        .annotate(version_count=Count("versions"), last_upload=Max("versions__uploaded_at"))
    )
    by_unit = {
        ("department", s.department_id) if s.department_id else ("village", s.village_id): s
        for s in subplans
    }
    standings = [
        UnitStanding(unit, by_unit.get((unit.kind, unit.pk)), subplan_round.deadline)
        for unit in units
    ]
    if status:
        standings = [s for s in standings if s.status == status]
    return standings


def subplans_awaiting_review(user: User) -> QuerySet[SubPlan]:
    """Sub-plans uploaded and not yet reviewed, in rounds still open."""
    return subplans_visible_to(user).filter(status=SubPlanStatus.PENDING, round__closed=False)


def rounds_owed_by(user: User) -> list[SubPlanRound]:
    """The open rounds in which the user's unit has sent no sub-plan or had it returned."""
    unit = reporting_unit_of(user)
    if unit is None:
        return []
    mine = {
        s.round_id: s.status
        for s in SubPlan.objects.filter(round__closed=False, **unit.report_filter).only(
            "round_id", "status"
        )
    }
    return [
        r
        for r in SubPlanRound.objects.filter(closed=False)
        if mine.get(r.pk, SubPlanStatus.MISSING) in (SubPlanStatus.MISSING, SubPlanStatus.RETURNED)
    ]


def subplan_of(user: User, subplan_round: SubPlanRound) -> SubPlan | None:
    """The user's unit's sub-plan in the round, if it sent one."""
    unit = reporting_unit_of(user)
    if unit is None:
        return None
    return SubPlan.objects.filter(round=subplan_round, **unit.report_filter).first()

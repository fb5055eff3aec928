"""Reads of the dispatch meetings: who sees which meetings and decisions."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from directory.models import User
from directory.scoping import narrow_to_unit, scope_register, unit_of
from plan.meetings.models import DispatchMeeting, MeetingDecision
from plan.tasklist.models import TaskUnit


def _unit(user: User):
    unit = unit_of(user)
    if unit is None or unit.kind not in ("town", "department", "village"):
        return None
    return unit


def decisions_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """The town office sees every decision; a unit those whose task it leads or cooperates on."""
    qs = MeetingDecision.objects.all() if queryset is None else queryset
    unit = _unit(user)
    if unit is None:
        return qs.none()
    if unit.kind == "town":
        return qs
    part = TaskUnit.objects.filter(task=OuterRef("task_id"), **{f"{unit.kind}_id": unit.pk})
    return qs.filter(Exists(part))


def meetings_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """The town office sees every meeting; a unit the meetings it attended or was given a task by."""
    qs = DispatchMeeting.objects.all() if queryset is None else queryset
    unit = _unit(user)
    if unit is None:
        return qs.none()
    if unit.kind == "town":
        return qs
    attended = DispatchMeeting.objects.filter(
        pk=OuterRef("pk"), **{f"attending_{unit.kind}s": unit.pk}
    )
    assigned = decisions_visible_to(user).filter(meeting=OuterRef("pk"))
    return qs.filter(Q(Exists(attended)) | Q(Exists(assigned)))


def meetings_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Only the town office records meetings and their decisions."""
    qs = DispatchMeeting.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user)


def decisions_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet:
    qs = MeetingDecision.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user)


def scopes_register() -> None:
    scope_register(DispatchMeeting, visible=meetings_visible_to, editable=meetings_editable_by)
    scope_register(MeetingDecision, visible=decisions_visible_to, editable=decisions_editable_by)

"""Reads of the task list: who sees which tasks, and each task's status as of a day."""

import datetime

from django.db.models import Case, Exists, F, OuterRef, QuerySet, Value, When
from django.utils import timezone

from directory.models import User
from directory.scoping import narrow_to_unit, scope_register, unit_of
from plan.tasklist.models import PlanItem, Task, TaskProgress, TaskStatus, TaskUnit


def tasks_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[Task]:
    """The town office sees every task; a department or village the tasks it has a part in."""
    qs = Task.objects.all() if queryset is None else queryset
    unit = unit_of(user)
    if unit is not None and unit.kind == "town":
        return qs
    if unit is None or unit.kind not in ("department", "village"):
        return qs.none()
    part = TaskUnit.objects.filter(task=OuterRef("pk"), **{f"{unit.kind}_id": unit.pk})
    return qs.filter(Exists(part))


def tasks_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[Task]:
    """Only the town office edits the task list; units report progress on it."""
    qs = Task.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user)


def tasks_with_status(queryset: QuerySet, *, today: datetime.date | None = None) -> QuerySet:
    """`queryset` annotated with `current_status`: the stored status, or overdue when the
    deadline has passed and the task is not completed."""
    today = today or timezone.localdate()
    return queryset.annotate(
        current_status=Case(
            When(status=TaskStatus.DONE, then=Value(TaskStatus.DONE)),
            When(deadline__lt=today, then=Value(TaskStatus.OVERDUE)),
            default=F("status"),
        )
    )


def tasks_of_unit(*, department_id: int | None = None, village_id: int | None = None) -> QuerySet:
    """The tasks a department or village leads or cooperates on."""
    if department_id:
        return Task.objects.filter(units__department_id=department_id).distinct()
    if village_id:
        return Task.objects.filter(units__village_id=village_id).distinct()
    return Task.objects.none()


def progress_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[TaskProgress]:
    """Progress lines follow their monthly report's scope."""
    from reports.selectors.monthly import monthly_reports_visible_to

    qs = TaskProgress.objects.all() if queryset is None else queryset
    return qs.filter(report__in=monthly_reports_visible_to(user))


def progress_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[TaskProgress]:
    from reports.selectors.monthly import monthly_reports_editable_by

    qs = TaskProgress.objects.all() if queryset is None else queryset
    return qs.filter(report__in=monthly_reports_editable_by(user))


def scopes_register() -> None:
    scope_register(Task, visible=tasks_visible_to, editable=tasks_editable_by)
    scope_register(TaskProgress, visible=progress_visible_to, editable=progress_editable_by)


def plan_items_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[PlanItem]:
    """The plan's text is the town's: every back-office unit reads it; the town office edits it."""
    qs = PlanItem.objects.all() if queryset is None else queryset
    unit = unit_of(user)
    return qs if unit is not None and unit.kind in ("town", "department", "village") else qs.none()


def plan_items_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[PlanItem]:
    qs = PlanItem.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user)

"""Reads of the town's task board: the tasks a viewer sees with their status as of a day, counted
per unit and per plan part (overdue first), and one task's monthly history.

Counting rule: a task counts once for every unit it names, as lead or as cooperating unit, so
the units' totals add up to more than the number of tasks; the lead column says how many of
them the unit leads. A part's row counts each task once.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone

from directory.models import User
from directory.scoping import unit_of
from plan.tasklist.models import (
    PlanItem,
    Task,
    TaskProgress,
    TaskStatus,
    TaskUnit,
    TaskUnitRole,
    TaskYearGoal,
)
from plan.tasklist.selectors import progress_visible_to, tasks_visible_to, tasks_with_status
from reports.models.monthly import SENT_STATUSES

# Columns of the counts, overdue first: what the town office follows up.
BOARD_STATUSES = (
    TaskStatus.OVERDUE,
    TaskStatus.NOT_STARTED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.DONE,
)
UNIT_KINDS = ("department", "village")


def board_allowed(user: User) -> bool:
    """The town office and the departments and villages that carry tasks use the board."""
    unit = unit_of(user)
    return unit is not None and unit.kind in ("town", *UNIT_KINDS)


@dataclass(frozen=True)
class BoardFilters:
    """What the board is narrowed to; None means every value."""

    year: int | None = None
    part: str | None = None
    # ("department" | "village", pk)
    unit: tuple[str, int] | None = None
    status: str | None = None


@dataclass
class StatusCounts:
    """One row of counts: a unit or a plan part, its tasks by status."""

    label: str
    key: str
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    lead: int | None = None

    @property
    def by_status(self) -> list[int]:
        return [self.counts.get(status, 0) for status in BOARD_STATUSES]


def _unit_q(kind: str, pk: int, prefix: str = "") -> Q:
    return Q(**{f"{prefix}{kind}_id": pk})


def board_tasks(
    user: User, filters: BoardFilters = BoardFilters(), *, today: datetime.date | None = None
) -> QuerySet[Task]:
    """The viewer's tasks narrowed by the filters, with `current_status`, overdue first, then by
    deadline and plan order.

    A task belongs to a year when it has a goal for that year or its deadline falls in it.
    """
    today = today or timezone.localdate()
    tasks = tasks_with_status(tasks_visible_to(user), today=today)
    if filters.year is not None:
        goals = TaskYearGoal.objects.filter(task=OuterRef("pk"), year=filters.year)
        tasks = tasks.filter(Q(Exists(goals)) | Q(deadline__year=filters.year))
    if filters.part:
        tasks = tasks.filter(plan_item__part=filters.part)
    if filters.unit is not None:
        kind, pk = filters.unit
        tasks = tasks.filter(
            Exists(TaskUnit.objects.filter(_unit_q(kind, pk), task=OuterRef("pk")))
        )
    if filters.status:
        tasks = tasks.filter(current_status=filters.status)
    overdue_first = Case(When(current_status=TaskStatus.OVERDUE, then=Value(0)), default=Value(1))
    return tasks.alias(overdue_rank=overdue_first).order_by(
        "overdue_rank", "deadline", "plan_item__sort_key", "key"
    )


def _status_counts(*, of: str, status: str) -> dict:
    """Count(`of`) per status, the status read from the field or annotation `status`."""
    return {
        str(value): Count(of, filter=Q(**{status: value}), distinct=True)
        for value in BOARD_STATUSES
    }


def _departments_first(prefix: str = "") -> list:
    """Departments (no village) before villages, each in its own order; nulls placed first
    explicitly, as SQLite does by itself and PostgreSQL does not."""
    return [
        F(f"{prefix}village_id").asc(nulls_first=True),
        f"{prefix}department__sort_order",
        f"{prefix}department__name",
        f"{prefix}village__name",
    ]


def _sorted_overdue_first(rows: list[StatusCounts]) -> list[StatusCounts]:
    # Stable: rows keep their natural order (plan order, departments then villages) within the
    # same number of overdue tasks.
    return sorted(rows, key=lambda row: -row.counts.get(TaskStatus.OVERDUE, 0))


def counts_by_part(tasks: QuerySet[Task]) -> list[StatusCounts]:
    """Per part of the plan (二, 三, …): each task once, by status; the parts with most overdue
    tasks first. `tasks` is a `board_tasks` queryset."""
    rows = (
        tasks.order_by()
        .values("plan_item__part")
        .annotate(
            first=Min("plan_item__sort_key"),
            total=Count("pk", distinct=True),
            **_status_counts(of="pk", status="current_status"),
        )
        .order_by("first", "plan_item__part")
    )
    return _sorted_overdue_first(
        [
            StatusCounts(
                label=row["plan_item__part"],
                key=row["plan_item__part"],
                counts={str(s): row[str(s)] for s in BOARD_STATUSES},
                total=row["total"],
            )
            for row in rows
        ]
    )


def counts_by_unit(user: User, tasks: QuerySet[Task]) -> list[StatusCounts]:
    """Per department and village named on the tasks, as lead or cooperating unit (each task
    once per unit); units with most overdue tasks first. A department's or village's officer
    gets its own unit's row alone."""
    status_of_task = Subquery(
        tasks.filter(pk=OuterRef("task_id")).order_by().values("current_status")[:1]
    )
    links = TaskUnit.objects.filter(task__in=tasks.order_by().values("pk"))
    unit = unit_of(user)
    if unit is not None and unit.kind in UNIT_KINDS:
        links = links.filter(_unit_q(unit.kind, unit.pk))
    rows = (
        links.annotate(task_status=status_of_task)
        .values(
            "department_id",
            "department__name",
            "department__sort_order",
            "village_id",
            "village__name",
        )
        .annotate(
            total=Count("task_id", distinct=True),
            lead=Count("task_id", filter=Q(role=TaskUnitRole.LEAD), distinct=True),
            **_status_counts(of="task_id", status="task_status"),
        )
        # Departments (in their order) before villages (by name).
        .order_by(*_departments_first())
    )
    result = []
    for row in rows:
        kind = "department" if row["department_id"] else "village"
        result.append(
            StatusCounts(
                label=row[f"{kind}__name"],
                key=f"{kind}-{row[f'{kind}_id']}",
                counts={str(s): row[str(s)] for s in BOARD_STATUSES},
                total=row["total"],
                lead=row["lead"],
            )
        )
    return _sorted_overdue_first(result)


def board_task_list(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """The tasks' rows with what a row shows: plan item, units (lead first)."""
    return tasks.select_related("plan_item").prefetch_related(_units_prefetch())


def _units_prefetch() -> Prefetch:
    return Prefetch(
        "units",
        queryset=TaskUnit.objects.select_related("department", "village"),
    )


def board_years(user: User) -> list[int]:
    """The years the viewer's tasks have goals or deadlines in, newest first."""
    visible = tasks_visible_to(user)
    goal_years = TaskYearGoal.objects.filter(task__in=visible.values("pk")).values_list(
        "year", flat=True
    )
    deadline_years = (
        visible.filter(deadline__isnull=False)
        .annotate(deadline_year=ExtractYear("deadline"))
        .values_list("deadline_year", flat=True)
    )
    return sorted(set(goal_years.distinct()) | set(deadline_years.distinct()), reverse=True)


def board_parts(user: User) -> list[str]:
    """The plan parts the viewer's tasks come from, in plan order."""
    rows = (
        PlanItem.objects.filter(tasks__in=tasks_visible_to(user).values("pk"))
        .values("part")
        .annotate(first=Min("sort_key"))
        .order_by("first", "part")
    )
    return [row["part"] for row in rows]


def board_units(user: User) -> list[tuple[str, str]]:
    """(key, name) of the units the filter offers: every unit named on a task for the town
    office, the officer's own unit for a department or village."""
    links = TaskUnit.objects.filter(task__in=tasks_visible_to(user).values("pk"))
    unit = unit_of(user)
    if unit is not None and unit.kind in UNIT_KINDS:
        links = links.filter(_unit_q(unit.kind, unit.pk))
    rows = (
        links.values("department_id", "department__name", "village_id", "village__name")
        .distinct()
        .order_by(*_departments_first())
    )
    choices = []
    for row in rows:
        kind = "department" if row["department_id"] else "village"
        choices.append((f"{kind}-{row[f'{kind}_id']}", row[f"{kind}__name"]))
    return choices


# --- one task's monthly history ----------------------------------------------------------------


def board_task(user: User, pk: int, *, today: datetime.date | None = None) -> Task | None:
    """One task the viewer sees, with its status, plan item and units; None otherwise."""
    tasks = tasks_with_status(tasks_visible_to(user), today=today or timezone.localdate())
    return (
        tasks.select_related("plan_item")
        .prefetch_related(_units_prefetch(), "year_goals")
        .filter(pk=pk)
        .first()
    )


def task_history(user: User, task: Task) -> QuerySet[TaskProgress]:
    """The task's progress as sent in monthly reports the viewer sees (a draft is the unit's
    own until sent), newest month first, units in their order within a month."""
    progress = TaskProgress.objects.filter(task=task, report__status__in=SENT_STATUSES)
    return (
        progress_visible_to(user, progress)
        .select_related("report__department", "report__village")
        .prefetch_related("evidence")
        .order_by(
            "-report__year",
            "-report__month",
            *_departments_first("report__"),
        )
    )

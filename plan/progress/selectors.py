"""Reads of the monthly progress on tasks: a report's task lines (live while the unit drafts,
frozen once sent), the tasks a unit still has to report on, and the overdue tasks a user sees."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, QuerySet

from directory.models import User
from plan.tasklist.indicators import task_indicator_figure
from plan.tasklist.models import (
    Task,
    TaskEvidence,
    TaskProgress,
    TaskStatus,
    TaskUnit,
    TaskUnitRole,
)
from plan.tasklist.selectors import progress_visible_to, tasks_visible_to, tasks_with_status
from reports.metrics.base import metric_get
from reports.metrics.catalogue import Kind
from reports.models import SENT_STATUSES, MonthlyReport
from reports.selectors.monthly import ReportingUnit, reporting_unit_of


@dataclass(frozen=True)
class ShownFigure:
    """A metric task's figure for the unit beside its target (live, or as sent)."""

    label: str
    value: Decimal | None
    target: Decimal | None
    is_rate: bool

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target


@dataclass
class TaskLine:
    """One task in a unit's monthly report."""

    task: Task
    role: str  # TaskUnitRole value, blank for a task the unit has since left
    status: str  # TaskStatus value (overdue included)
    progress: TaskProgress | None
    figure: ShownFigure | None
    evidence: list[TaskEvidence] = field(default_factory=list)
    # Read as sent (the report's frozen line), not from the task today.
    frozen: bool = False

    @property
    def status_label(self) -> str:
        return TaskStatus(self.status).label if self.status else ""

    @property
    def role_label(self) -> str:
        return TaskUnitRole(self.role).label if self.role else ""

    @property
    def measured(self) -> bool:
        """Measured by a platform metric: no percent is typed for it."""
        if self.frozen:
            return bool(self.progress.indicator_metric)
        return bool(self.task.indicator_metric)


def report_unit(report: MonthlyReport) -> ReportingUnit:
    kind = "department" if report.department_id else "village"
    return ReportingUnit(kind, getattr(report, f"{kind}_id"), report.unit_name)


def unit_tasks(unit: ReportingUnit, *, today: datetime.date) -> QuerySet[Task]:
    """The tasks a department or village leads or cooperates on, each with `unit_role` and
    `current_status` (one row per task: a unit is on a task once)."""
    tasks = (
        Task.objects.filter(**{f"units__{unit.kind}_id": unit.pk})
        .annotate(unit_role=F("units__role"))
        .select_related("plan_item")
    )
    return tasks_with_status(tasks, today=today)


def _frozen_figure(progress: TaskProgress) -> ShownFigure | None:
    if not progress.indicator_metric:
        return None
    metric = metric_get(progress.indicator_metric)
    return ShownFigure(
        label=str(metric.label) if metric else progress.indicator_metric,
        value=progress.indicator_value,
        target=progress.indicator_target,
        is_rate=metric is not None and metric.kind == Kind.RATE,
    )


def _progress_rows(report: MonthlyReport) -> dict[int, TaskProgress]:
    rows = (
        TaskProgress.objects.filter(report=report)
        .select_related("task", "task__plan_item")
        .prefetch_related("evidence")
    )
    return {row.task_id: row for row in rows}


def report_task_lines(
    *, report: MonthlyReport, today: datetime.date, items_cache: dict | None = None
) -> list[TaskLine]:
    """The report's tasks: once sent, the lines frozen at submission (figures as sent); before,
    the unit's tasks today with what has been typed and the metrics' figures read now."""
    unit = report_unit(report)
    rows = _progress_rows(report)
    if report.sent:
        roles = dict(
            TaskUnit.objects.filter(task_id__in=rows, **{f"{unit.kind}_id": unit.pk}).values_list(
                "task_id", "role"
            )
        )
        return [
            TaskLine(
                task=row.task,
                role=roles.get(row.task_id, ""),
                status=row.task_status,
                progress=row,
                figure=_frozen_figure(row),
                evidence=list(row.evidence.all()),
                frozen=True,
            )
            for row in rows.values()
            if row.task_status
        ]
    cache = {} if items_cache is None else items_cache
    lines = []
    for task in unit_tasks(unit, today=today):
        row = rows.get(task.pk)
        figure = task_indicator_figure(
            task, scope=unit.scope, year=report.year, month=report.month, items_cache=cache
        )
        lines.append(
            TaskLine(
                task=task,
                role=task.unit_role,
                status=task.current_status,
                progress=row,
                figure=ShownFigure(figure.label, figure.value, figure.target, figure.is_rate)
                if figure
                else None,
                evidence=list(row.evidence.all()) if row else [],
            )
        )
    return lines


def overdue_tasks(user: User, *, today: datetime.date) -> QuerySet[Task]:
    """The tasks the user sees that are past their deadline and not completed."""
    return tasks_with_status(tasks_visible_to(user), today=today).filter(
        current_status=TaskStatus.OVERDUE
    )


def tasks_without_progress(user: User, *, today: datetime.date) -> int | None:
    """How many of the user's unit's tasks have no progress written in this month's report
    (0 once the report is sent; None for a user whose unit sends no report)."""
    unit = reporting_unit_of(user)
    if unit is None:
        return None
    # One query: nothing is missing once the month's report is sent.
    of_month = {"year": today.year, "month": today.month}
    sent = MonthlyReport.objects.filter(status__in=SENT_STATUSES, **of_month, **unit.report_filter)
    written = TaskProgress.objects.filter(
        task=OuterRef("pk"),
        **{f"report__{key}": value for key, value in of_month.items()},
        **{f"report__{key}": value for key, value in unit.report_filter.items()},
    ).exclude(progress="")
    tasks = Task.objects.filter(**{f"units__{unit.kind}_id": unit.pk}).filter(
        ~Exists(written), ~Exists(sent)
    )
    return tasks.count()


def evidence_visible_to(user: User) -> QuerySet[TaskEvidence]:
    """Evidence files follow their progress line's scope (the unit and the town office)."""
    return TaskEvidence.objects.filter(progress__in=progress_visible_to(user))

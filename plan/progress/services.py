"""Writes of the monthly progress on tasks: the unit's officer writes its lines in its own
report while the report is a draft (or returned); submitting the report freezes them with the
metrics' figures and the tasks' statuses, and nothing changes them afterwards."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from directory.models import User
from plan.progress.evidence import evidence_prepare
from plan.progress.selectors import report_unit, unit_tasks
from plan.tasklist.indicators import task_indicator_figure
from plan.tasklist.models import TaskEvidence, TaskProgress, TaskStatus
from reports.models import EDITABLE_STATUSES, MonthlyReport
from reports.sections import TaskCounts
from reports.selectors.monthly import reporting_unit_of

# What submission writes on each line.
FROZEN_FIELDS = ["indicator_metric", "indicator_target", "indicator_value", "task_status"]


@dataclass
class ProgressEntry:
    """What the unit wrote about one task this month."""

    task_id: int
    progress: str = ""
    percent: int | None = None
    problems: str = ""
    uploads: list = field(default_factory=list)
    # Evidence files of the line to remove (ids).
    remove: list[int] = field(default_factory=list)


def _check_editable(user: User, report: MonthlyReport) -> None:
    unit = reporting_unit_of(user)
    if unit is None or getattr(report, f"{unit.kind}_id") != unit.pk:
        raise PermissionDenied(_("Only the unit's own officer edits its monthly report."))
    if report.status not in EDITABLE_STATUSES:
        raise ValidationError(_("A submitted or accepted report can no longer be changed."))


def _files_delete_on_commit(names: list[str], storage) -> None:
    def delete():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def progress_save(
    *, user: User, report: MonthlyReport, entries: list[ProgressEntry], today: datetime.date
) -> None:
    """Write the unit's lines on its tasks in its draft report, all or nothing; a task the unit
    has no part in is refused, as is a percent typed for a task a platform metric measures."""
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    _check_editable(user, report)
    tasks = {task.pk: task for task in unit_tasks(report_unit(report), today=today)}
    rows = {row.task_id: row for row in TaskProgress.objects.filter(report=report)}
    for entry in entries:
        task = tasks.get(entry.task_id)
        if task is None:
            raise PermissionDenied(_("This task is not one of your unit's tasks."))
        if entry.percent is not None and task.indicator_metric:
            raise ValidationError(
                _("“%(task)s”: its figure is read from the platform, not typed.")
                % {"task": task.title}
            )
        if entry.percent is not None and not 0 <= entry.percent <= 100:
            raise ValidationError(
                _("“%(task)s”: the percent complete must be between 0 and 100.")
                % {"task": task.title}
            )
        row = rows.get(task.pk)
        text, problems = entry.progress.strip(), entry.problems.strip()
        if row is None and not (text or problems or entry.percent is not None or entry.uploads):
            continue
        row = row or TaskProgress(task=task, report=report)
        # The percent was checked above (the database checks it again).
        row.progress, row.problems, row.percent = text, problems, entry.percent
        row.save()
        for upload in entry.uploads:
            name, content = evidence_prepare(upload, task_title=task.title)
            TaskEvidence.objects.create(progress=row, file=content, name=name, uploaded_by=user)
        if entry.remove:
            removed = list(row.evidence.filter(pk__in=entry.remove))
            if removed:
                _files_delete_on_commit([e.file.name for e in removed], removed[0].file.storage)
                TaskEvidence.objects.filter(pk__in=[e.pk for e in removed]).delete()


def progress_freeze(
    *, report: MonthlyReport, today: datetime.date, items_cache: dict | None = None
) -> TaskCounts:
    """At submission (inside its transaction): one line per task of the unit, written with the
    metric's figure for the unit at the month's end, the target and the task's status; lines on
    tasks the unit has since left are dropped. Returns the tasks and those completed."""
    unit = report_unit(report)
    tasks = list(unit_tasks(unit, today=today))
    rows = {row.task_id: row for row in TaskProgress.objects.filter(report=report)}
    left = [row for task_id, row in rows.items() if task_id not in {t.pk for t in tasks}]
    for row in left:
        names = [e.file.name for e in row.evidence.all()]
        if names:
            _files_delete_on_commit(names, TaskEvidence._meta.get_field("file").storage)
        row.delete()
    cache: dict = {} if items_cache is None else items_cache
    new, existing = [], []
    for task in tasks:
        row = rows.get(task.pk)
        if row is None:
            row = TaskProgress(task=task, report=report)
            new.append(row)
        else:
            existing.append(row)
        figure = task_indicator_figure(
            task, scope=unit.scope, year=report.year, month=report.month, items_cache=cache
        )
        row.indicator_metric = task.indicator_metric
        row.indicator_target = task.indicator_target
        row.indicator_value = figure.value if figure else None
        row.task_status = task.current_status
    TaskProgress.objects.bulk_create(new)
    # The lines that already existed, one UPDATE per set of frozen values they share (a few):
    # bulk_update's CASE over every line took 20 ms a report to compile.
    shared: dict[tuple, list[int]] = defaultdict(list)
    for row in existing:
        shared[tuple(getattr(row, name) for name in FROZEN_FIELDS)].append(row.pk)
    for values, pks in shared.items():
        TaskProgress.objects.filter(pk__in=pks).update(
            **dict(zip(FROZEN_FIELDS, values, strict=True))
        )
    done = sum(task.current_status == TaskStatus.DONE for task in tasks)
    return TaskCounts(total=len(tasks), done=done)

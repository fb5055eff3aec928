"""Demo task lines for seed_demo, after the task list is seeded: every sent monthly report that
has no task lines yet (the reports demo runs before the plan's) gets a line per task of its unit,
written as a unit would and frozen as its submission would have frozen it; the demo
department's draft of this month has its first tasks written. Deterministic and idempotent: a
report with lines is left alone."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from plan.progress.selectors import report_unit, unit_tasks
from plan.progress.services import progress_freeze
from plan.tasklist.models import TaskProgress
from reports.demo import DEMO_DEPARTMENT
from reports.models import MonthlyReport, ReportStatus

PROGRESS = (
    "按计划推进，本月完成阶段性工作，已形成工作台账。",
    "召开专题推进会，督促相关企业落实整改。",
    "开展专项检查，问题清单已交办责任单位。",
    "本月无新增进展，下月集中推进。",
)
PROBLEMS = ("个别企业配合度不高。", "", "部分村居人员力量不足。", "")
# This month's draft of the demo department: its first tasks written.
DRAFT_LINES = 2


def _lines(report: MonthlyReport, today: datetime.date, *, limit: int | None = None) -> list:
    tasks = list(unit_tasks(report_unit(report), today=today))[:limit]
    lines = []
    for index, task in enumerate(tasks):
        turn = index + report.month
        lines.append(
            TaskProgress(
                task=task,
                report=report,
                progress=PROGRESS[turn % len(PROGRESS)],
                # A task measured by a metric shows the metric's figure, never a typed one.
                percent=None if task.indicator_metric else min(100, 10 * report.month),
                problems=PROBLEMS[turn % len(PROBLEMS)],
            )
        )
    return lines


def progress_seed(*, stdout, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    has_lines = Exists(TaskProgress.objects.filter(report=OuterRef("pk")))
    sent = (
        MonthlyReport.objects.exclude(status=ReportStatus.DRAFT)
        .exclude(has_lines)
        .select_related("department", "village")
        .order_by("year", "month", "pk")
    )
    cache: dict = {}
    frozen = 0
    for report in sent:
        lines = _lines(report, today)
        if not lines:
            continue
        TaskProgress.objects.bulk_create(lines)
        counts = progress_freeze(report=report, today=today, items_cache=cache)
        MonthlyReport.objects.filter(pk=report.pk).update(
            tasks_total=counts.total, tasks_done=counts.done
        )
        frozen += 1
    draft = (
        MonthlyReport.objects.filter(
            department__name=DEMO_DEPARTMENT,
            year=today.year,
            month=today.month,
            status=ReportStatus.DRAFT,
        )
        .exclude(has_lines)
        .first()
    )
    if draft is not None:
        TaskProgress.objects.bulk_create(_lines(draft, today, limit=DRAFT_LINES))
    stdout.write(f"Task progress demo ready ({frozen} sent reports given their task lines).")

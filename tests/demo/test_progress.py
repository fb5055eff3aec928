"""The task lines of seed_demo: every sent report carries a line per task of its unit, frozen
and counted as a submission does; the demo department's draft has its first lines written."""

import datetime
import io

from django.utils import timezone

from directory.demo import DEMO_DEPARTMENT
from directory.models import Department
from plan.models import TaskProgress, TaskStatus
from plan.progress.demo import DRAFT_LINES
from reports.demo import reports_seed
from reports.models import MonthlyReport, ReportStatus
from tests.factories.plan import TaskFactory, TaskUnitFactory


def test_sent_demo_reports_carry_their_units_task_lines(demo_town, db):
    assert "Task progress demo ready" in demo_town
    department = Department.objects.get(name=DEMO_DEPARTMENT)
    tasks = department.plan_tasks.count()
    assert tasks > 0
    sent = MonthlyReport.objects.exclude(status=ReportStatus.DRAFT)
    for report in sent.filter(department=department):
        lines = TaskProgress.objects.filter(report=report)
        assert report.tasks_total == lines.count() == tasks
        assert report.tasks_done == lines.filter(task_status=TaskStatus.DONE).count()
        assert not lines.filter(task_status="").exists()
        # A measured task's line holds the metric's figure as sent, never a typed percent.
        assert not lines.exclude(indicator_metric="").exclude(percent=None).exists()
    for report in sent.exclude(tasks_total=0)[:20]:
        assert report.tasks_total == TaskProgress.objects.filter(report=report).count()
    today = timezone.localdate()
    draft = MonthlyReport.objects.get(
        department=department, year=today.year, month=today.month, status=ReportStatus.DRAFT
    )
    assert TaskProgress.objects.filter(report=draft).exclude(progress="").count() == DRAFT_LINES


def test_a_report_seeded_after_the_task_list_is_counted_at_once(demo_town, db):
    department = Department.objects.get(name=DEMO_DEPARTMENT)
    done = TaskFactory(status=TaskStatus.DONE, completed_on=datetime.date(2026, 8, 1))
    TaskUnitFactory(task=done, department=department)
    tasks = department.plan_tasks.count()
    completed = department.plan_tasks.filter(task__status=TaskStatus.DONE).count()
    MonthlyReport.objects.filter(department=department, year=2026, month=9).delete()
    reports_seed(stdout=io.StringIO(), today=datetime.date(2026, 11, 20))
    report = MonthlyReport.objects.get(department=department, year=2026, month=9)
    assert report.status == ReportStatus.ACCEPTED
    assert (report.tasks_total, report.tasks_done) == (tasks, completed)
    assert TaskProgress.objects.filter(report=report).count() == tasks

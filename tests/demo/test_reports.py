"""The reports part of seed_demo: targets, exemplary enterprises, drills, monthly reports in
every state; deterministic and idempotent."""

import datetime
import io

from reports.demo import reports_seed
from reports.metrics import Scope
from reports.models import ExemplaryEnterprise, MonthlyReport, ReportStatus, Target
from reports.selectors.coverage import dashboard_figures
from training.models import DrillRecord

TODAY = datetime.date(2026, 11, 20)


def test_seed_demo_adds_reports_data_once(demo_town, db):
    reports_seed(stdout=io.StringIO(), today=TODAY)
    counts = [
        model.objects.count() for model in (Target, ExemplaryEnterprise, DrillRecord, MonthlyReport)
    ]
    assert all(counts)
    statuses = set(MonthlyReport.objects.values_list("status", flat=True))
    assert statuses >= {ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.RETURNED}
    reports_seed(stdout=io.StringIO(), today=TODAY)
    assert counts == [
        model.objects.count() for model in (Target, ExemplaryEnterprise, DrillRecord, MonthlyReport)
    ]
    figures = dashboard_figures(scope=Scope(), year=2026, month=11, today=TODAY)
    drills = next(f for f in figures if f.metric.code == "drill_coverage")
    assert 0 < drills.measure.numerator < drills.measure.denominator


def test_demo_reports_count_the_units_tasks_never_typed(demo_town, db):
    from directory.models import Department
    from plan.models import TaskProgress, TaskStatus
    from tests.factories.plan import TaskFactory, TaskUnitFactory

    for report in MonthlyReport.objects.filter(status__in=[ReportStatus.ACCEPTED]):
        lines = TaskProgress.objects.filter(report=report)
        assert report.tasks_total == lines.count()
        assert report.tasks_done == lines.filter(task_status=TaskStatus.DONE).count()
    department = Department.objects.get(name="经发办")
    done = TaskFactory(status=TaskStatus.DONE, completed_on=datetime.date(2026, 8, 1))
    for task in (TaskFactory(), done):
        TaskUnitFactory(task=task, department=department)
    MonthlyReport.objects.filter(department=department, year=2026, month=9).delete()
    reports_seed(stdout=io.StringIO(), today=TODAY)
    report = MonthlyReport.objects.get(department=department, year=2026, month=9)
    assert report.status == ReportStatus.ACCEPTED
    assert (report.tasks_total, report.tasks_done) == (2, 1)
    assert TaskProgress.objects.filter(report=report).count() == 2

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

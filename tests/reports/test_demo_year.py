"""`seed_demo`'s town is part-way through its year: the department officer's key figures are
neither empty nor complete, differ by village, rise month by month; reports are sent and one is
late; the demo accounts have reminders to read; a second run changes none of it."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from directory.demo import DEMO_DEPARTMENT
from directory.models import Department, Notification, Village
from reports.metrics import Scope
from reports.models import SENT_STATUSES, MonthlyReport
from reports.selectors.coverage import dashboard_figures
from reports.selectors.monthly import late_units
from training.models import DrillRecord, StudyHourEntry
from training.sessions.models.sessions import Attendance, TrainingSession

KEY_FIGURES = (
    "principal_training",
    "training_hours",
    "inspector_training",
    "drills_held",
    "special_operator_certified",
)
# Figures a village has (inspectors belong to departments, not villages).
VILLAGE_FIGURES = ("principal_training", "training_hours", "drills_held")


def _figures(scope: Scope) -> dict:
    today = timezone.localdate()
    return {
        fig.metric.code: fig
        for fig in dashboard_figures(scope=scope, year=today.year, month=today.month, today=today)
    }


@pytest.fixture(scope="class", autouse=True)
def _mid_september():
    """A fixed day well into the year (autouse: before the class's demo town is built): on
    1 January the year is not part-way, nothing has been held yet."""
    moment = datetime.datetime(2026, 9, 15, 2, 0, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=True):
        yield


class TestTheDemoYear:
    @pytest.fixture
    def department(self, demo_town, db):
        return Department.objects.get(name=DEMO_DEPARTMENT)

    def test_the_department_officers_key_figures_are_part_way(self, department):
        assert timezone.localdate() == datetime.date(2026, 9, 15)
        figures = _figures(Scope(department_id=department.pk))

        for code in KEY_FIGURES:
            measure = figures[code].measure
            assert measure.denominator, code
            assert 20 < measure.percent < 95, (code, measure.numerator, measure.denominator)

    def test_the_figures_differ_by_village(self, department):
        villages = Village.objects.order_by("name")
        for code in VILLAGE_FIGURES:
            percents = set()
            for village in villages:
                measure = _figures(Scope(village_id=village.pk))[code].measure
                if measure.denominator:
                    percents.add(round(measure.percent, 1))
            assert len(percents) >= 2, code
        # The department's own ranking of its villages is not flat either.
        ranking = _figures(Scope(department_id=department.pk))["training_hours"].rankings
        assert len({round(row.measure.percent, 1) for row in ranking["village"]}) >= 2

    def test_the_trend_rises_over_the_months_gone_by(self, department):
        today = timezone.localdate()
        figures = _figures(Scope(department_id=department.pk))

        for code in KEY_FIGURES:
            trend = [measure.numerator for _month, measure in figures[code].trend]
            assert len(trend) == today.month
            assert trend == sorted(trend), code
            assert trend[-1] > 0, code
            if today.month >= 3:
                # Covered in more than one month: a line, not a step from nothing to all.
                assert len(set(trend)) >= 2, code

    def test_reports_are_sent_and_one_unit_is_late(self, demo_town, db):
        today = timezone.localdate()
        last = today.replace(day=1) - timezone.timedelta(days=1)

        assert MonthlyReport.objects.filter(status__in=SENT_STATUSES).exists()
        assert late_units(last.year, last.month, today)

    def test_the_demo_accounts_have_reminders_to_read(self, demo_town, db):
        for username in ("manager", "learner"):
            assert Notification.objects.filter(
                recipient__username=username, read_at__isnull=True, key__startswith="coverage:"
            ).exists(), username

    def test_a_second_run_adds_nothing_to_the_year(self, demo_town, db):
        models = (
            StudyHourEntry,
            TrainingSession,
            Attendance,
            DrillRecord,
            MonthlyReport,
            Notification,
        )
        before = [model.objects.count() for model in models]

        call_command("seed_demo", stdout=io.StringIO())

        assert [model.objects.count() for model in models] == before

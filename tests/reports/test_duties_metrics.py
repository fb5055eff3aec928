"""The principals' duties in the metrics catalogue: the 五带头 checklist accepted and the quarter's
principal-led self-inspection, their figures and uncovered lists, per scope."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from reports.metrics import Scope, metric_get
from reports.metrics.duties import figure_quarter
from tests.factories.duties import (
    DutiesChecklistFactory,
    DutiesInspectionFactory,
    duties_principal,
)
from training.models import ChecklistStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 20)


def _at(day: datetime.date):
    return mock.patch("reports.metrics.duties.timezone.localdate", return_value=day)


def _covered(items, month):
    return sum(i.count for i in items if i.covered_month is not None and i.covered_month <= month)


def test_figure_quarter():
    assert figure_quarter(2026, TODAY) == 2
    assert figure_quarter(2025, TODAY) == 4
    assert figure_quarter(2027, TODAY) == 1


def test_checklist_accepted_share_and_uncovered(town):
    metric = metric_get("principal_duties_accepted")
    accepted = duties_principal(town["ent_a"], name="甲总")
    submitted = duties_principal(town["ent_a"], name="甲副总")
    none_yet = duties_principal(town["ent_b"], name="乙总")
    DutiesChecklistFactory(
        enterprise=town["ent_a"],
        principal=accepted,
        year=2026,
        status=ChecklistStatus.ACCEPTED,
        reviewed_at=timezone.make_aware(datetime.datetime(2026, 4, 2, 10)),
    )
    DutiesChecklistFactory(
        enterprise=town["ent_a"], principal=submitted, status=ChecklistStatus.SUBMITTED
    )
    DutiesChecklistFactory(  # last year's acceptance does not count this year
        enterprise=town["ent_b"],
        principal=none_yet,
        year=2025,
        status=ChecklistStatus.ACCEPTED,
        reviewed_at=timezone.make_aware(datetime.datetime(2025, 6, 2, 10)),
    )
    items = metric.items(scope=Scope(), year=2026)
    assert sum(i.count for i in items) == 3
    assert _covered(items, 3) == 0 and _covered(items, 4) == 1
    assert set(metric.uncovered(scope=Scope(), year=2026, month=12)) == {submitted, none_yet}
    assert set(metric.uncovered(scope=Scope(), year=2026, month=3)) == {
        accepted,
        submitted,
        none_yet,
    }
    dept_a = Scope(department_id=town["dept_a"].pk)
    assert set(metric.uncovered(scope=dept_a, year=2026, month=12)) == {submitted}
    assert sorted(metric.enterprise_items(scope=dept_a, year=2026), key=str) == sorted(
        [(town["ent_a"].pk, 4, 1), (town["ent_a"].pk, None, 1)], key=str
    )


def test_self_inspection_share_of_the_quarter(town):
    metric = metric_get("principal_self_inspection")
    DutiesInspectionFactory(enterprise=town["ent_a"], date=datetime.date(2026, 2, 10))  # Q1
    DutiesInspectionFactory(enterprise=town["ent_b"], date=datetime.date(2026, 5, 3))  # Q2
    with _at(TODAY):
        items = metric.items(scope=Scope(), year=2026)
        assert sum(i.count for i in items) == 2
        assert _covered(items, 4) == 0 and _covered(items, 5) == 1
        assert list(metric.uncovered(scope=Scope(), year=2026, month=5)) == [town["ent_a"]]
        dept_b = Scope(department_id=town["dept_b"].pk)
        assert list(metric.uncovered(scope=dept_b, year=2026, month=5)) == []
    with _at(datetime.date(2026, 3, 1)):  # in the first quarter ent_a has inspected, ent_b not
        assert list(metric.uncovered(scope=Scope(), year=2026, month=3)) == [town["ent_b"]]
        assert sorted(metric.enterprise_items(scope=Scope(), year=2026), key=str) == sorted(
            [(town["ent_a"].pk, 2, 1), (town["ent_b"].pk, None, 1)], key=str
        )

"""Metric snapshots: the beat task counts each metric of the whole town once; dashboards of any
scope read the stored items instead of counting, say when they were counted, and count live
again once the snapshot is older than REPORTS_SNAPSHOT_MAX_AGE."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from directory.models import Department, Enterprise, Industry, Village
from reports.metrics import Scope, metric_list
from reports.models import EnterpriseMeasure, MetricSnapshot
from reports.selectors.coverage import dashboard_figures
from reports.selectors.snapshots import snapshots_fresh
from reports.services.snapshots import snapshots_refresh
from reports.tasks import metric_snapshots_refresh_task
from tests.factories.drills import DrillRecordFactory
from training.models import ReviewStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """seed_scale's tiny town: every metric with a source gets items across units and months."""
    call_command("seed_scale", scale="tiny", stdout=io.StringIO())
    return timezone.localdate()


def _scopes() -> list[Scope]:
    department = Department.objects.filter(enterprises__isnull=False).first()
    village = Village.objects.filter(enterprises__isnull=False).first()
    industry = Industry.objects.filter(enterprises__isnull=False).first()
    return [
        Scope(),
        Scope(department_id=department.pk),
        Scope(village_id=village.pk),
        Scope(industry_id=industry.pk),
        Scope(department_id=department.pk, village_id=village.pk),
        Scope(department_id=department.pk, village_id=village.pk, industry_id=industry.pk),
    ]


def _shown(figures) -> list:
    """What a dashboard shows of each metric: the figure, the trend, every ranking row."""
    return [
        (
            f.metric.code,
            f.measure,
            f.trend,
            {by: [(r.pk, r.measure) for r in rows] for by, rows in f.rankings.items()},
        )
        for f in figures
    ]


def test_every_scope_shows_from_the_snapshot_what_counting_live_shows(city, settings):
    stored = snapshots_refresh(year=city.year)
    sourced = {m.code for m in metric_list() if m.has_source}
    assert {s.metric_code for s in stored} == sourced
    assert len(stored) == 8 * len(sourced)  # every combination of department, village, industry
    assert any(len(s.items) > 1 for s in stored)
    for scope in _scopes():
        read = dashboard_figures(scope=scope, year=city.year, month=city.month, today=city)
        assert all(f.as_of is not None for f in read if f.metric.code in sourced)
        settings.REPORTS_SNAPSHOT_MAX_AGE = 0
        live = dashboard_figures(scope=scope, year=city.year, month=city.month, today=city)
        settings.REPORTS_SNAPSHOT_MAX_AGE = 1800
        assert all(f.as_of is None for f in live)
        assert _shown(read) == _shown(live), scope


def test_dashboard_shows_the_snapshot_with_its_time_until_it_is_too_old(city, client, accounts):
    snapshots_refresh(year=city.year)
    before = _drill_figure(city)
    # A new drill after the count: the snapshot does not know it yet.
    enterprise = Enterprise.objects.exclude(drill_records__isnull=False).first()
    DrillRecordFactory(enterprise=enterprise, date=city, review_status=ReviewStatus.ACCEPTED)
    figure = next(f for f in _figures(city) if f.metric.code == "drill_coverage")
    assert figure.as_of is not None and figure.measure == before.measure

    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    page = client.get(reverse("coverage:dashboard")).content.decode()
    assert "coverage-as-of" in page and "计于" in page

    MetricSnapshot.objects.update(
        computed_at=timezone.now()
        - datetime.timedelta(seconds=settings.REPORTS_SNAPSHOT_MAX_AGE + 1)
    )
    assert snapshots_fresh(year=city.year, dims={""}) == {}
    live = next(f for f in _figures(city) if f.metric.code == "drill_coverage")
    assert live.as_of is None
    assert live.measure.denominator == before.measure.denominator


def test_snapshots_off_means_always_live(city, settings):
    snapshots_refresh(year=city.year)
    settings.REPORTS_SNAPSHOT_MAX_AGE = 0
    assert all(f.as_of is None for f in _figures(city))


def test_reading_snapshots_costs_no_metric_queries(city):
    snapshots_refresh(year=city.year)
    with CaptureQueriesContext(connection) as queries:
        figures = _figures(city)
    # targets, three unit-name lists, the snapshots and (the first time) their items; no
    # metric counts anything.
    assert len(queries) <= 6, [q["sql"][:80] for q in queries]
    assert all(f.as_of is not None for f in figures if f.has_data)
    # The items are kept by the process: a second read leaves them in the database.
    with CaptureQueriesContext(connection) as queries:
        again = _figures(city)
    assert len(queries) <= 5, [q["sql"][:80] for q in queries]
    assert [f.measure for f in again] == [f.measure for f in figures]


def test_the_items_kept_follow_each_refresh(city):
    """A process keeps a snapshot's items by row and time: what it reads is always what the
    database holds now, before and after a refresh that changes the figures."""
    snapshots_refresh(year=city.year)
    stored = snapshots_fresh(year=city.year, dims={"", "d"})
    for key, row in stored.items():
        assert row.items == MetricSnapshot.objects.get(pk=row.pk).items, key
    enterprise = Enterprise.objects.exclude(drill_records__isnull=False).first()
    DrillRecordFactory(enterprise=enterprise, date=city, review_status=ReviewStatus.ACCEPTED)
    snapshots_refresh(year=city.year)
    refreshed = snapshots_fresh(year=city.year, dims={"", "d"})
    for key, row in refreshed.items():
        assert row.items == MetricSnapshot.objects.get(pk=row.pk).items, key
    assert refreshed[("drill_coverage", "")].items != stored[("drill_coverage", "")].items


def test_a_scope_reads_its_units_share_of_the_items(city):
    """Given a scope, each row's items are those of its units (on PostgreSQL the database picks
    them; elsewhere all are read and `snapshot_items` picks), kept apart from the whole rows."""
    snapshots_refresh(year=city.year)
    village = Village.objects.filter(enterprises__isnull=False).first()
    scope = Scope(village_id=village.pk)
    shares = snapshots_fresh(year=city.year, dims={"dv", "vi"}, scope=scope)
    whole = snapshots_fresh(year=city.year, dims={"dv", "vi"})
    assert shares.keys() == whole.keys()
    for key, row in shares.items():
        of_village = [item for item in whole[key].items if item[1] == village.pk]
        if connection.vendor == "postgresql":
            assert row.items == of_village, key
        else:
            assert row.items == whole[key].items, key
    assert any(row.items for row in shares.values())
    if connection.vendor == "postgresql":
        assert any(len(row.items) > len(shares[key].items) for key, row in whole.items())


def test_a_process_drops_the_items_of_rows_too_old_to_serve(city, settings, time_machine):
    """A web process never runs the refresh that replaced the rows it read: it drops them once
    they are past REPORTS_SNAPSHOT_MAX_AGE, the next time it reads new ones."""
    from reports.selectors import snapshots

    settings.REPORTS_SNAPSHOT_MAX_AGE = 30 * 60
    start = timezone.now()
    time_machine.move_to(start)
    snapshots_refresh(year=city.year)
    snapshots_fresh(year=city.year, dims={"", "d"})
    kept = dict(snapshots._ITEMS)
    time_machine.move_to(start + datetime.timedelta(minutes=20))
    snapshots_refresh(year=city.year)  # in the worker: this process forgets, a web one would not
    snapshots._ITEMS.update(kept)
    time_machine.move_to(start + datetime.timedelta(minutes=40))
    served = snapshots_fresh(year=city.year, dims={"", "d"})

    assert kept and served
    assert not set(kept) & set(snapshots._ITEMS)
    assert {(row.pk, row.computed_at, (None, None, None)) for row in served.values()} <= set(
        snapshots._ITEMS
    )


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="PostgreSQL"
)
def test_a_refresh_leaves_the_planner_statistics_of_what_it_wrote(city):
    snapshots_refresh(year=city.year)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN (%s, %s)",
            [MetricSnapshot._meta.db_table, EnterpriseMeasure._meta.db_table],
        )
        estimated = dict(cursor.fetchall())
    assert estimated == {
        MetricSnapshot._meta.db_table: MetricSnapshot.objects.count(),
        EnterpriseMeasure._meta.db_table: EnterpriseMeasure.objects.count(),
    }
    assert EnterpriseMeasure.objects.exists()


def test_the_beat_task_stores_one_row_per_metric_and_year(city):
    assert metric_snapshots_refresh_task.delay().get() == len(
        [m for m in metric_list() if m.has_source]
    )
    metric_snapshots_refresh_task.delay().get()  # a rerun replaces, never adds
    assert MetricSnapshot.objects.filter(year=city.year).count() == 8 * len(
        [m for m in metric_list() if m.has_source]
    )
    assert settings.CELERY_BEAT_SCHEDULE["reports-metric-snapshots"]["task"] == (
        "reports.tasks.metric_snapshots_refresh"
    )


def _figures(today):
    return dashboard_figures(scope=Scope(), year=today.year, month=today.month, today=today)


def _drill_figure(today):
    return next(f for f in _figures(today) if f.metric.code == "drill_coverage")

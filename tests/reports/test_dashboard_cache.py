"""A rendered dashboard is kept in the shared cache while what it is read from holds: the same
fresh snapshots, the same targets, the same day. Each scope, month and language has its own; a
new snapshot or a changed target shows at once; figures counted live are never kept."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from directory.models import Department, Enterprise
from reports.models import MetricSnapshot, Target
from reports.services.snapshots import snapshots_refresh
from tests.factories import UserFactory
from tests.factories.drills import DrillRecordFactory
from training.models import ReviewStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """seed_scale's tiny town: every metric with a source gets items across units and months."""
    call_command("seed_scale", scale="tiny", stdout=io.StringIO())
    return timezone.localdate()


def figures_of(response) -> str:
    """The figures part of a dashboard page (the rest is the page's and the publicity reach)."""
    page = response.content.decode()
    start = page.index('<div class="coverage-grid">')
    return page[start : page.index('<section class="coverage-reach"', start)]


def drill_coverage_card(figures: str) -> str:
    start = figures.index('id="metric-drill_coverage"')
    return figures[start : figures.index("</section>", start)]


def test_a_kept_dashboard_is_the_one_rendered_without_reading_the_figures(city, client, accounts):
    snapshots_refresh(year=city.year)
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    url = reverse("coverage:dashboard")
    with CaptureQueriesContext(connection) as first:
        rendered = figures_of(client.get(url))
    with CaptureQueriesContext(connection) as second:
        kept = figures_of(client.get(url))
    assert kept == rendered
    assert len(second) < len(first)
    read = [q["sql"] for q in second if "reports_metricsnapshot" in q["sql"]]
    assert len(read) == 1 and "COUNT(" in read[0]  # whether the snapshots are still the same
    cache.clear()
    assert figures_of(client.get(url)) == rendered


def test_a_new_snapshot_or_a_changed_target_shows_at_once(city, client, accounts):
    snapshots_refresh(year=city.year)
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    url = reverse("coverage:dashboard")
    before = drill_coverage_card(figures_of(client.get(url)))

    Target.objects.filter(year=city.year, metric="drill_coverage").delete()
    Target.objects.create(
        metric="drill_coverage",
        year=city.year,
        target_percent=77,
        deadline=datetime.date(city.year, 12, 31),
    )
    targeted = drill_coverage_card(figures_of(client.get(url)))
    assert "77%" in targeted and "77%" not in before

    for enterprise in Enterprise.objects.filter(drill_records__isnull=True)[:3]:
        DrillRecordFactory(enterprise=enterprise, date=city, review_status=ReviewStatus.ACCEPTED)
    assert drill_coverage_card(figures_of(client.get(url))) == targeted  # counted at the snapshot
    snapshots_refresh(year=city.year)
    assert drill_coverage_card(figures_of(client.get(url))) != targeted


def test_each_scope_month_and_language_has_its_own(city, client, accounts):
    snapshots_refresh(year=city.year)
    department = Department.objects.filter(enterprises__isnull=False).first()
    officer = UserFactory(role=AccountRole.DEPARTMENT_OFFICER, department=department)
    url = reverse("coverage:dashboard")
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    town = figures_of(client.get(url))
    earlier = figures_of(client.get(url, {"year": city.year, "month": 1}))
    narrowed = figures_of(client.get(url, {"department": department.pk}))
    client.cookies["django_language"] = "en"
    english = figures_of(client.get(url))
    client.force_login(officer)
    del client.cookies["django_language"]
    own = figures_of(client.get(url))
    assert len({town, earlier, narrowed, english}) == 4
    assert "Target" in english and "Target" not in town
    # The department officer's own dashboard is the town office's narrowed to the department.
    assert own == narrowed
    cache.clear()
    assert figures_of(client.get(url)) == own


def test_figures_counted_live_are_never_kept(city, client, accounts):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    url = reverse("coverage:dashboard")
    assert not MetricSnapshot.objects.exists()
    before = drill_coverage_card(figures_of(client.get(url)))
    for enterprise in Enterprise.objects.filter(drill_records__isnull=True)[:3]:
        DrillRecordFactory(enterprise=enterprise, date=city, review_status=ReviewStatus.ACCEPTED)
    assert drill_coverage_card(figures_of(client.get(url))) != before


def test_a_stale_snapshot_is_not_read_from_the_cache(city, client, accounts, settings):
    snapshots_refresh(year=city.year)
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    url = reverse("coverage:dashboard")
    kept = drill_coverage_card(figures_of(client.get(url)))
    assert "coverage-as-of" in kept
    MetricSnapshot.objects.update(
        computed_at=timezone.now()
        - datetime.timedelta(seconds=settings.REPORTS_SNAPSHOT_MAX_AGE + 1)
    )
    live = drill_coverage_card(figures_of(client.get(url)))
    assert "coverage-as-of" not in live


def snapshot_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if "reports_metricsnapshot" in q["sql"]]


def test_the_snapshot_task_renders_each_officers_own_dashboard_ahead(city, client, accounts):
    """After the beat's refresh every officer's first dashboard (their unit, this month) is read
    from the cache, and is what rendering it then would show; units without an officer are
    left to their first visit, and so is everything while no snapshot is fresh."""
    from reports.dashboard_html import dashboards_prerender
    from reports.tasks import metric_snapshots_refresh_task

    assert dashboards_prerender(today=city) == 0  # nothing fresh: counted live on each visit
    department = Department.objects.filter(enterprises__isnull=False).first()
    officer = UserFactory(role=AccountRole.DEPARTMENT_OFFICER, department=department)
    others = Department.objects.exclude(pk=department.pk).filter(enterprises__isnull=False)
    unattended = others.exclude(pk__in=[u.department_id for u in accounts.values()]).first()
    assert unattended is not None
    UserFactory(role=AccountRole.DEPARTMENT_OFFICER, department=unattended, is_active=False)
    metric_snapshots_refresh_task()
    url = reverse("coverage:dashboard")
    pages = {}
    for user in (officer, accounts[AccountRole.TOWN_OFFICE], accounts[AccountRole.VILLAGE_OFFICER]):
        client.force_login(user)
        with CaptureQueriesContext(connection) as first:
            pages[user.pk] = figures_of(client.get(url))
        read = snapshot_reads(first)
        assert len(read) == 1 and "COUNT(" in read[0], user.role  # only whether still fresh
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    with CaptureQueriesContext(connection) as first:
        figures_of(client.get(url, {"department": unattended.pk}))
    assert len(snapshot_reads(first)) > 1  # rendered at its first visit
    cache.clear()
    client.force_login(officer)
    assert figures_of(client.get(url)) == pages[officer.pk]

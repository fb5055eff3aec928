"""Lagging enterprises from the snapshot: each enterprise's own figures stored by the beat task
equal the figures counted live in any scope; the home's count and the paged list read them while
the snapshot is fresh and of the month asked, and count live otherwise."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from directory.models import Attachment, Department, Enterprise, Person, Village
from reports.metrics import Item, Kind, Measure, Scope, metric_list
from reports.models import EnterpriseMeasure, MetricSnapshot, Target
from reports.selectors.coverage import measure_of
from reports.selectors.lagging import (
    lacks_by_enterprise,
    lagging_count,
    lagging_enterprises,
    lagging_page,
    targeted_metrics,
)
from reports.services.snapshots import snapshots_refresh
from tests.factories.directory import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """seed_scale's tiny town, with people attached to hosts in other departments and villages."""
    call_command("seed_scale", scale="tiny", stdout=io.StringIO())
    today = timezone.localdate()
    hosts = list(Enterprise.objects.order_by("pk")[:6])
    for n, person in enumerate(Person.objects.exclude(employer__in=hosts).order_by("pk")[:12]):
        Attachment.objects.create(
            person=person, host=hosts[n % len(hosts)], starts_on=datetime.date(today.year, 1, 1)
        )
    return today


def _scopes() -> list[Scope]:
    department = Department.objects.filter(enterprises__isnull=False).first()
    village = Village.objects.filter(enterprises__isnull=False).first()
    empty = DepartmentFactory(name="无企业的部门")
    return [
        Scope(),
        Scope(department_id=department.pk),
        Scope(village_id=village.pk),
        Scope(department_id=empty.pk),
    ]


def _live_figures(metric, scope: Scope, year: int, month: int) -> dict[int, Measure]:
    groups: dict[int, list[Item]] = {}
    for enterprise_id, covered, count in metric.enterprise_items(scope=scope, year=year):
        groups.setdefault(enterprise_id, []).append(Item(None, None, None, covered, count))
    return {pk: measure_of(metric, items, month) for pk, items in groups.items()}


def _shown(lacks: dict) -> dict:
    return {
        pk: [(lack.metric.code, lack.measure, lack.target.pk) for lack in rows]
        for pk, rows in lacks.items()
    }


def _live(settings, call):
    settings.REPORTS_SNAPSHOT_MAX_AGE = 0
    try:
        return call()
    finally:
        settings.REPORTS_SNAPSHOT_MAX_AGE = 1800


def test_an_enterprises_figure_does_not_depend_on_the_scope(city):
    rates = [m for m in metric_list() if m.kind == Kind.RATE]
    assert Attachment.objects.exists()
    for scope in _scopes():
        mine = set(scope.enterprises().values_list("pk", flat=True))
        for metric in rates:
            town = Counter()
            for pk, covered, count in metric.enterprise_items(scope=Scope(), year=city.year):
                if pk in mine:
                    town[(pk, covered)] += count
            own = Counter()
            for pk, covered, count in metric.enterprise_items(scope=scope, year=city.year):
                own[(pk, covered)] += count
            assert town == own, (metric.code, scope)


def test_the_stored_figures_are_the_live_ones_below_100_percent(city):
    snapshots_refresh(year=city.year)
    assert EnterpriseMeasure.objects.filter(month=city.month).exists()
    hours = EnterpriseMeasure.objects.filter(metric_code="training_hours")
    assert hours.exists()
    for scope in _scopes():
        mine = scope.enterprises().values("pk")
        for metric in [m for m in metric_list() if m.kind == Kind.RATE]:
            live = {
                pk: measure
                for pk, measure in _live_figures(metric, scope, city.year, city.month).items()
                if measure.numerator < measure.denominator
            }
            stored = {
                row.enterprise_id: Measure(row.covered, row.total)
                for row in EnterpriseMeasure.objects.filter(
                    metric_code=metric.code, year=city.year, enterprise__in=mine
                )
            }
            assert stored == live, (metric.code, scope)


def test_a_rerun_replaces_the_stored_figures(city):
    snapshots_refresh(year=city.year)
    first = EnterpriseMeasure.objects.count()
    snapshots_refresh(year=city.year)
    assert EnterpriseMeasure.objects.count() == first
    assert set(
        MetricSnapshot.objects.filter(dims="", metric_code="training_hours").values_list(
            "enterprise_month", flat=True
        )
    ) == {city.month}


def test_the_count_and_the_lacks_from_the_snapshot_are_the_live_ones(city, settings):
    snapshots_refresh(year=city.year)
    args = {"year": city.year, "month": city.month, "today": city}
    for scope in _scopes():
        targeted = targeted_metrics(scope=scope, **args)
        assert targeted and all(t.snapshot is not None for t in targeted)
        stored = lacks_by_enterprise(scope=scope, **args)
        live = _live(settings, lambda scope=scope: lacks_by_enterprise(scope=scope, **args))
        assert _shown(stored) == _shown(live), scope
        assert lagging_count(scope=scope, **args) == len(live)
        assert _live(settings, lambda scope=scope: lagging_count(scope=scope, **args)) == len(live)
    assert len(live) == 0  # the department without enterprises
    assert lagging_count(scope=Scope(), **args) > 0


def test_the_page_from_the_snapshot_is_the_live_list_paged(city, settings):
    snapshots_refresh(year=city.year)
    args = {"year": city.year, "month": city.month, "today": city}
    town = UserFactory(username="town-office", role=AccountRole.TOWN_OFFICE)
    department = Department.objects.filter(enterprises__isnull=False).first()
    officer = UserFactory(
        username="dept-officer", role=AccountRole.DEPARTMENT_OFFICER, department=department
    )
    for user, scope in [(town, Scope()), (officer, Scope(department_id=department.pk))]:
        live = _live(settings, lambda u=user, s=scope: lagging_enterprises(u, scope=s, **args))
        assert live
        for number in (1, 2):
            page, as_of = lagging_page(user, scope=scope, number=number, **args)
            assert as_of is not None
            assert page.paginator.count == len(live)
            expected = live[(page.number - 1) * 50 : page.number * 50]
            assert [(r.enterprise.pk, _shown({0: r.lacks})) for r in page.object_list] == [
                (r.enterprise.pk, _shown({0: r.lacks})) for r in expected
            ]
        live_page, live_as_of = _live(
            settings, lambda u=user, s=scope: lagging_page(u, scope=s, number=1, **args)
        )
        assert live_as_of is None
        assert [r.enterprise.pk for r in live_page.object_list] == [
            r.enterprise.pk for r in live[:50]
        ]


def test_exactly_at_the_target_does_not_lag_and_one_below_does(city, settings):
    snapshots_refresh(year=city.year)
    args = {"year": city.year, "month": city.month, "today": city}
    # A stored figure whose percentage is a whole number: its target can be met exactly.
    row = next(
        r
        for r in EnterpriseMeasure.objects.filter(metric_code="training_hours").order_by("pk")
        if r.covered * 100 % r.total == 0
    )
    percent = row.covered * 100 // row.total
    for target, lags in [(percent, False), (percent + 1, True)]:
        Target.objects.filter(metric="training_hours").update(target_percent=target)
        stored = lacks_by_enterprise(scope=Scope(), **args)
        live = _live(settings, lambda: lacks_by_enterprise(scope=Scope(), **args))
        assert _shown(stored) == _shown(live)
        hours = [
            lack
            for lack in stored.get(row.enterprise_id, [])
            if lack.metric.code == "training_hours"
        ]
        assert bool(hours) == lags, target
        assert lagging_count(scope=Scope(), **args) == len(live)


def test_a_stale_snapshot_or_another_month_is_counted_live(city, settings):
    snapshots_refresh(year=city.year)
    args = {"year": city.year, "today": city}
    other = city.month - 1 if city.month > 1 else 2
    assert all(t.snapshot is None for t in targeted_metrics(scope=Scope(), month=other, **args))
    live_other = _live(settings, lambda: lacks_by_enterprise(scope=Scope(), month=other, **args))
    assert _shown(lacks_by_enterprise(scope=Scope(), month=other, **args)) == _shown(live_other)

    # Enterprise figures change after the count: a stale snapshot no longer serves them.
    EnterpriseMeasure.objects.all().delete()
    assert lagging_count(scope=Scope(), month=city.month, **args) == 0
    MetricSnapshot.objects.update(
        computed_at=timezone.now()
        - datetime.timedelta(seconds=settings.REPORTS_SNAPSHOT_MAX_AGE + 1)
    )
    assert all(
        t.snapshot is None for t in targeted_metrics(scope=Scope(), month=city.month, **args)
    )
    live = _live(settings, lambda: lacks_by_enterprise(scope=Scope(), month=city.month, **args))
    assert live
    assert lagging_count(scope=Scope(), month=city.month, **args) == len(live)


def test_reading_the_snapshot_costs_a_bounded_number_of_queries(
    city, client, django_assert_max_num_queries
):
    snapshots_refresh(year=city.year)
    args = {"year": city.year, "month": city.month, "today": city}
    town = UserFactory(username="town-office", role=AccountRole.TOWN_OFFICE)
    # targets, snapshots, the count
    with django_assert_max_num_queries(3):
        assert lagging_count(scope=Scope(), **args) > 0
    # targets, snapshots, the page's count and rows, their lacks
    with django_assert_max_num_queries(5):
        page, _as_of = lagging_page(town, scope=Scope(), number=1, **args)
        assert len(page.object_list) == min(50, page.paginator.count)
    client.force_login(town)
    with django_assert_max_num_queries(20):
        html = client.get(reverse("coverage:lagging")).content.decode()
    assert "coverage-as-of" in html
    assert f'data-lagging-count="{page.paginator.count}"' in html

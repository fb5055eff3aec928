"""The drill-down of a metric at any size: its count is the metric's figure (from the snapshot
when fresh, counted live otherwise), its rows those not covered, its queries the same whatever
the number of people."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from reports.metrics import Kind, Scope, metric_list
from reports.selectors.coverage import dashboard_figures
from reports.selectors.uncovered import uncovered_count
from reports.services.snapshots import snapshots_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    call_command("seed_scale", scale="tiny", stdout=io.StringIO())
    return timezone.localdate()


def _listed(client, code: str) -> tuple[int, str]:
    html = client.get(reverse("coverage:uncovered", args=[code])).content.decode()
    return int(re.search(r'data-uncovered-count="(\d+)"', html).group(1)), html


def _metrics():
    return [m for m in metric_list() if m.has_source and m.kind != Kind.COUNT]


def test_the_count_is_the_figure_live_and_from_the_snapshot(city, client, accounts):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    figures = {
        f.metric.code: f
        for f in dashboard_figures(scope=Scope(), year=city.year, month=city.month, today=city)
    }
    for metric in _metrics():
        measure = figures[metric.code].measure
        count, html = _listed(client, metric.code)
        assert count == measure.denominator - measure.numerator, metric.code
        assert "与覆盖率看板一致" not in html
    snapshots_refresh(year=city.year)
    for metric in _metrics():
        count, as_of = uncovered_count(metric, scope=Scope(), year=city.year, month=city.month)
        assert as_of is not None
        listed, html = _listed(client, metric.code)
        assert listed == count
        assert "与覆盖率看板一致" in html
        measure = figures[metric.code].measure
        assert listed == measure.denominator - measure.numerator, metric.code


def test_the_training_hours_rows_are_those_the_grouped_pass_finds_short(city):
    """The drill-down's per-person sums and the figure's running totals agree person by person."""
    from reports.metrics import metric_get
    from reports.metrics.learning import reached_sql

    metric = metric_get("training_hours")
    for month in (1, city.month):
        listed = set(
            metric.uncovered(scope=Scope(), year=city.year, month=month).values_list(
                "pk", flat=True
            )
        )
        sql, params = reached_sql(scope=Scope(), year=city.year)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT pk FROM ({sql}) r WHERE reached IS NULL OR reached > %s",  # noqa: S608
                [*(p.isoformat() if hasattr(p, "isoformat") else p for p in params), month]
                if connection.vendor == "sqlite"
                else [*params, month],
            )
            short = {row[0] for row in cursor.fetchall()}
        assert listed == short, month
        assert listed


def test_the_page_costs_the_same_queries_with_or_without_more_people(city, client, accounts):
    from tests.factories import PersonFactory

    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    snapshots_refresh(year=city.year)
    url = reverse("coverage:uncovered", args=["training_hours"])
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(30):
        PersonFactory(employer=accounts[AccountRole.ENTERPRISE_MANAGER].enterprise)
    assert queries() == few


def test_the_page_of_rows_is_read_once(city, client, accounts):
    """The list's query (the costly one at district scale) runs once per page, not once to
    test the page and again to write its rows."""
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    snapshots_refresh(year=city.year)
    checked = 0
    for metric in _metrics():
        with CaptureQueriesContext(connection) as queries:
            count, html = _listed(client, metric.code)
        if not count:
            continue  # an empty page reads no rows
        checked += 1
        table = metric.uncovered(
            scope=Scope(), year=city.year, month=city.month
        ).model._meta.db_table
        listed = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().startswith(("SELECT", "DECLARE"))
            and f'FROM "{table}"' in q["sql"]
            and re.search(r"LIMIT \d+", q["sql"])
        ]
        assert len(listed) == 1, (metric.code, listed)
    assert checked >= 5

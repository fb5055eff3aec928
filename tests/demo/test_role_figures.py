"""The role homes' figures on the demo town: an enterprise's figures (Scope.enterprise_id) and
the enterprises lagging are the dashboards' metrics grouped otherwise, never another count."""

import re
from collections import Counter

from django.utils import timezone

from directory.models import Enterprise, User
from reports.metrics import Item, Scope, metric_list
from reports.selectors.coverage import dashboard_figures, measure_of


def _by_enterprise(metric, scope, year):
    groups: dict[int, list[Item]] = {}
    for enterprise_id, covered, count in metric.enterprise_items(scope=scope, year=year):
        groups.setdefault(enterprise_id, []).append(Item(None, None, None, covered, count))
    return groups


def test_an_enterprises_figures_are_its_share_of_the_towns(demo_town, db):
    today = timezone.localdate()
    year, month = today.year, today.month
    sample = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True)[::25])
    for metric in metric_list():
        by_enterprise = _by_enterprise(metric, Scope(), year)
        if not by_enterprise:
            continue
        # The same items as the town's, grouped by enterprise instead of by unit.
        town = Counter()
        for item in metric.items(scope=Scope(), year=year):
            town[item.covered_month] += item.count
        grouped = Counter()
        for items in by_enterprise.values():
            for item in items:
                grouped[item.covered_month] += item.count
        assert grouped == town, metric.code
        for pk in sample:
            own = next(
                f
                for f in dashboard_figures(
                    scope=Scope(enterprise_id=pk),
                    year=year,
                    month=month,
                    today=today,
                    with_rankings=False,
                )
                if f.metric.code == metric.code
            )
            expected = measure_of(metric, by_enterprise.get(pk, []), month)
            assert own.measure == expected, (metric.code, pk)


def test_the_demo_homes_count_what_their_lists_show(demo_town, client, db):
    manager = User.objects.get(username="manager")
    client.force_login(manager)
    html = client.get("/admin/").content.decode()
    short = re.search(r'data-count="hours_short">(\d+)<', html).group(1)
    figure = re.search(r'data-count="figure_training_hours"><a [^>]*>(\d+)<', html).group(1)
    assert short == figure
    page = client.get("/admin/reports/coverage/training_hours/uncovered/").content.decode()
    assert re.search(r'data-uncovered-count="(\d+)"', page).group(1) == figure

    for username in ("dept", "village"):
        client.force_login(User.objects.get(username=username))
        html = client.get("/admin/").content.decode()
        lagging = int(re.search(r'data-count="units_lagging">(\d+)<', html).group(1))
        assert lagging > 0
        page = client.get("/admin/reports/coverage/lagging/").content.decode()
        assert re.search(r'data-lagging-count="(\d+)"', page).group(1) == str(lagging)

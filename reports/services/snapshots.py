"""Writes of metric snapshots: count every metric of the whole town once, store its items summed
for each combination of unit kinds a dashboard can be narrowed or ranked by."""

import datetime
import itertools
import time
from collections import Counter

from django.db import transaction
from django.utils import timezone

from directory.scale_load import tables_analyse
from reports.metrics import Item, Kind, Metric, Scope, metric_list
from reports.models import EnterpriseMeasure, MetricSnapshot
from reports.models.snapshots import DIMS
from reports.selectors.snapshots import snapshot_items_forget

# "", "d", "v", "i", "dv", "di", "vi", "dvi"
DIM_SETS = ["".join(c) for n in range(len(DIMS) + 1) for c in itertools.combinations(DIMS, n)]


def items_summed(items: list[Item], dims: str) -> list[list]:
    """The items with the unit kinds outside `dims` summed away (None in their place)."""
    totals = Counter()
    for item in items:
        key = tuple(getattr(item, DIMS[d]) if d in dims else None for d in DIMS)
        totals[(*key, item.covered_month)] += item.count
    return [[*key, count] for key, count in totals.items()]


# Rows per INSERT of enterprise figures (a district stores tens of thousands).
BATCH = 2000


def snapshot_month(year: int, today: datetime.date) -> int | None:
    """The month a year's enterprise figures are reduced to: this month for this year, December
    for a past year, none for a year to come."""
    if year == today.year:
        return today.month
    return 12 if year < today.year else None


def enterprise_measures(metric: Metric, *, year: int, month: int) -> list[EnterpriseMeasure]:
    """Each enterprise's own figure of a rate metric at the end of `month`, as
    reports.selectors.lagging measures it (its `enterprise_items` for the town: an enterprise's
    figure counts its employees and the people attached to it whatever the scope), kept only
    below 100 %: a figure at 100 % meets any target."""
    figures: dict[int, list[int]] = {}
    for enterprise_id, covered_month, count in metric.enterprise_items(scope=Scope(), year=year):
        figure = figures.setdefault(enterprise_id, [0, 0])
        if covered_month is not None and covered_month <= month:
            figure[0] += count
        figure[1] += count
    return [
        EnterpriseMeasure(
            metric_code=metric.code,
            year=year,
            month=month,
            enterprise_id=enterprise_id,
            covered=covered,
            total=total,
        )
        for enterprise_id, (covered, total) in figures.items()
        if covered < total
    ]


def snapshots_refresh(*, year: int) -> list[MetricSnapshot]:
    """Count each metric with a source for the whole town and `year` and store its items, one
    row per combination of unit kinds (replaced), and for a rate metric each enterprise's own
    figure at this month (EnterpriseMeasure, replaced in the same transaction). A metric
    without a source gets no rows: it stays "no data"."""
    stored = []
    snapshot_items_forget()
    month = snapshot_month(year, timezone.localdate())
    for metric in metric_list():
        started = time.perf_counter()
        items = metric.items(scope=Scope(), year=year)
        if items is None:
            continue
        per_enterprise = month is not None and metric.kind == Kind.RATE
        measures = enterprise_measures(metric, year=year, month=month) if per_enterprise else []
        now, seconds = timezone.now(), time.perf_counter() - started
        rows = [
            MetricSnapshot(
                metric_code=metric.code,
                year=year,
                dims=dims,
                items=items_summed(items, dims),
                computed_at=now,
                seconds=seconds,
                enterprise_month=month if per_enterprise else None,
            )
            for dims in DIM_SETS
        ]
        with transaction.atomic():
            MetricSnapshot.objects.filter(metric_code=metric.code, year=year).delete()
            EnterpriseMeasure.objects.filter(metric_code=metric.code, year=year).delete()
            stored += MetricSnapshot.objects.bulk_create(rows)
            EnterpriseMeasure.objects.bulk_create(measures, batch_size=BATCH)
    # The officers' lists read both tables at once: with the statistics of the rows they replaced
    # (or of empty tables, on a new database), a village's lagging count scanned the whole town's
    # figures (67 ms against 16 ms) until autovacuum, if it runs, came by.
    tables_analyse(MetricSnapshot, EnterpriseMeasure)
    return stored

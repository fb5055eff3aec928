"""Writes of metric snapshots: count every metric of the whole town once, store its items summed
for each combination of unit kinds a dashboard can be narrowed or ranked by."""

import itertools
import time
from collections import Counter

from django.db import transaction
from django.utils import timezone

from reports.metrics import Item, Scope, metric_list
from reports.models import MetricSnapshot
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


def snapshots_refresh(*, year: int) -> list[MetricSnapshot]:
    """Count each metric with a source for the whole town and `year` and store its items, one
    row per combination of unit kinds (replaced). A metric without a source gets no rows: it
    stays "no data"."""
    stored = []
    snapshot_items_forget()
    for metric in metric_list():
        started = time.perf_counter()
        items = metric.items(scope=Scope(), year=year)
        if items is None:
            continue
        now, seconds = timezone.now(), time.perf_counter() - started
        rows = [
            MetricSnapshot(
                metric_code=metric.code,
                year=year,
                dims=dims,
                items=items_summed(items, dims),
                computed_at=now,
                seconds=seconds,
            )
            for dims in DIM_SETS
        ]
        with transaction.atomic():
            MetricSnapshot.objects.filter(metric_code=metric.code, year=year).delete()
            stored += MetricSnapshot.objects.bulk_create(rows)
    return stored

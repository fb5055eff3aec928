"""Writes of metric snapshots: count every metric of the whole town once and store the items."""

import time

from django.utils import timezone

from reports.metrics import Scope, metric_list
from reports.models import MetricSnapshot


def snapshots_refresh(*, year: int) -> list[MetricSnapshot]:
    """Count each metric with a source for the whole town and `year`; store its items (one row
    per metric and year, replaced). A metric without a source gets no row: it stays "no data"."""
    stored = []
    for metric in metric_list():
        started = time.perf_counter()
        items = metric.items(scope=Scope(), year=year)
        if items is None:
            continue
        rows = [
            [i.department_id, i.village_id, i.industry_id, i.covered_month, i.count] for i in items
        ]
        snapshot, _created = MetricSnapshot.objects.update_or_create(
            metric_code=metric.code,
            year=year,
            defaults={
                "items": rows,
                "computed_at": timezone.now(),
                "seconds": time.perf_counter() - started,
            },
        )
        stored.append(snapshot)
    return stored

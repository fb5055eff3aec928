"""Reads of metric snapshots: a metric's items for a scope from the stored town-wide items.

Every `Item` carries its department, village and industry, and a scope is a conjunction of
those three, so a scope's items are exactly the town's items of its units (a test holds every
metric to this against counting live). A snapshot serves while it is younger than
REPORTS_SNAPSHOT_MAX_AGE seconds (0: never, the figures are counted live).
"""

import datetime

from django.conf import settings
from django.utils import timezone

from reports.metrics import Item, Scope
from reports.models import MetricSnapshot


def snapshots_fresh(*, year: int, now: datetime.datetime | None = None) -> dict:
    """The year's snapshots young enough to serve, by metric code (one query; none when off)."""
    max_age = int(settings.REPORTS_SNAPSHOT_MAX_AGE)
    if max_age <= 0:
        return {}
    since = (now or timezone.now()) - datetime.timedelta(seconds=max_age)
    return {
        s.metric_code: s for s in MetricSnapshot.objects.filter(year=year, computed_at__gte=since)
    }


def snapshot_items(snapshot: MetricSnapshot, scope: Scope) -> list[Item]:
    """The snapshot's items that fall in `scope`."""
    wanted = (scope.department_id, scope.village_id, scope.industry_id)
    items = []
    for department_id, village_id, industry_id, month, count in snapshot.items:
        units = (department_id, village_id, industry_id)
        if all(not want or want == unit for want, unit in zip(wanted, units, strict=True)):
            items.append(Item(department_id, village_id, industry_id, month, count))
    return items

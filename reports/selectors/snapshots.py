"""Reads of metric snapshots: a scope's items, and its units' items for the rankings, from the
stored town-wide items summed by unit kind.

Every `Item` carries its department, village and industry, and a scope is a conjunction of
those three, so a scope's items are the town's items of its units, summed over the unit kinds
it does not fix; a ranking by one more kind needs the items summed over one kind fewer. A test
holds the dashboards read this way equal to counting live, metric by metric and scope by scope.
A snapshot serves while it is younger than REPORTS_SNAPSHOT_MAX_AGE seconds (0: never).
"""

import datetime
import threading
from collections import OrderedDict

from django.conf import settings
from django.db import connection
from django.db.models import Count, JSONField, Max, Min
from django.db.models.expressions import RawSQL
from django.utils import timezone

from reports.metrics import Item, Scope
from reports.models import MetricSnapshot
from reports.models.snapshots import DIMS

RANK_DIM = {"department": "d", "village": "v", "industry": "i"}


def scope_dims(scope: Scope, extra: str = "") -> str:
    """The letters of the unit kinds `scope` fixes, plus `extra`, in DIMS order."""
    return "".join(d for d, attr in DIMS.items() if getattr(scope, attr) or d == extra)


def snapshots_fresh(
    *,
    year: int,
    dims: set[str],
    now: datetime.datetime | None = None,
    with_items: bool = True,
    scope: Scope | None = None,
) -> dict[tuple[str, str], MetricSnapshot]:
    """The year's snapshot rows of the given unit-kind combinations young enough to serve, by
    (metric code, dims): one query (and one for items this process does not keep yet; none
    `with_items=False`), nothing when snapshots are off. Given a `scope`, a row's items may be
    only those of the scope's units (what `snapshot_items` picks for it)."""
    max_age = int(settings.REPORTS_SNAPSHOT_MAX_AGE)
    if max_age <= 0:
        return {}
    since = (now or timezone.now()) - datetime.timedelta(seconds=max_age)
    rows = list(
        MetricSnapshot.objects.filter(year=year, dims__in=dims, computed_at__gte=since).defer(
            "items"
        )
    )
    if with_items:  # without: only when and for which month they were counted
        _items_attach(rows, scope, since=since)
    return {(s.metric_code, s.dims): s for s in rows}


def snapshots_stamp(*, year: int, now: datetime.datetime | None = None) -> tuple[tuple, int] | None:
    """What the year's fresh snapshot rows are (their number, oldest and newest time: a refresh
    or a row turning stale changes it) and for how many more seconds all of them stay fresh, in
    one query; None when none is fresh."""
    max_age = int(settings.REPORTS_SNAPSHOT_MAX_AGE)
    if max_age <= 0:
        return None
    now = now or timezone.now()
    fresh = MetricSnapshot.objects.filter(
        year=year, computed_at__gte=now - datetime.timedelta(seconds=max_age)
    ).aggregate(rows=Count("pk"), oldest=Min("computed_at"), newest=Max("computed_at"))
    if not fresh["rows"]:
        return None
    seconds = max_age - int((now - fresh["oldest"]).total_seconds())
    if seconds <= 0:
        return None
    return (fresh["rows"], fresh["oldest"].isoformat(), fresh["newest"].isoformat()), seconds


# A snapshot row never changes once written (a refresh writes new rows), so each process keeps
# the items it has read, by row, time and the units asked for. On PostgreSQL only a scope's share
# is read (the database picks a village's few hundred items out of a district's hundred thousand:
# tens of milliseconds, where decoding them all took half a second in each process after each
# refresh). Bounded, and per process: hosts share nothing here. Rows past the age at which they
# serve are dropped whenever new ones are read (a web process never runs the refresh that
# replaced them), so a process keeps about the last half hour's rows.
_ITEMS: OrderedDict[tuple, list] = OrderedDict()
_ITEMS_KEPT = 4096
_ITEMS_LOCK = threading.Lock()

# An item is [department, village, industry, month, count]: the scope's units by position.
_UNIT_POSITIONS = ("department_id", "village_id", "industry_id")


def _units(scope: Scope | None) -> tuple:
    return tuple(getattr(scope, attr) if scope else None for attr in _UNIT_POSITIONS)


def _items_read(pks: list[int], units: tuple):
    """(pk, computed_at, items) of the rows: on PostgreSQL only the items of `units` (the
    positions given), elsewhere all of them (`snapshot_items` picks)."""
    rows = MetricSnapshot.objects.filter(pk__in=pks)
    fixed = [(position, unit) for position, unit in enumerate(units) if unit]
    if not fixed or connection.vendor != "postgresql":
        return rows.values_list("pk", "computed_at", "items")
    table = MetricSnapshot._meta.db_table
    condition = " AND ".join(f"(e.value ->> {position})::bigint = %s" for position, _ in fixed)
    # The table from the model, the positions from _UNIT_POSITIONS; the units are parameters.
    share = RawSQL(  # noqa: S611
        f'COALESCE((SELECT jsonb_agg(e.value) FROM jsonb_array_elements("{table}"."items") e '  # noqa: S608
        f"WHERE {condition}), '[]'::jsonb)",
        [unit for _, unit in fixed],
        output_field=JSONField(),
    )
    return rows.annotate(share=share).values_list("pk", "computed_at", "share")


def _items_attach(
    rows: list[MetricSnapshot], scope: Scope | None = None, *, since: datetime.datetime
) -> None:
    """Give each row (read without its items) its items, or the scope's share of them: kept
    ones, the others in one query (then the kept rows older than `since` are dropped)."""
    units = _units(scope)
    with _ITEMS_LOCK:
        kept = {
            (r.pk, r.computed_at, units): _ITEMS.get((r.pk, r.computed_at, units)) for r in rows
        }
    missing = [key[0] for key, items in kept.items() if items is None]
    if missing:
        read = _items_read(missing, units)
        with _ITEMS_LOCK:
            for pk, computed_at, items in read:
                kept[(pk, computed_at, units)] = _ITEMS[(pk, computed_at, units)] = items
            for key in [key for key in _ITEMS if key[1] < since]:
                del _ITEMS[key]
            while len(_ITEMS) > _ITEMS_KEPT:
                _ITEMS.popitem(last=False)
    with _ITEMS_LOCK:
        for row in rows:
            key = (row.pk, row.computed_at, units)
            row.items = kept.get(key) or []
            if key in _ITEMS:
                _ITEMS.move_to_end(key)


def snapshot_items_forget() -> None:
    """Drop the items this process keeps (a refresh wrote new rows)."""
    with _ITEMS_LOCK:
        _ITEMS.clear()


def snapshot_items(snapshot: MetricSnapshot, scope: Scope) -> list[Item]:
    """The snapshot's items that fall in `scope` (the snapshot keeps at least its unit kinds)."""
    wanted = (scope.department_id, scope.village_id, scope.industry_id)
    items = []
    for department_id, village_id, industry_id, month, count in snapshot.items:
        units = (department_id, village_id, industry_id)
        if all(not want or want == unit for want, unit in zip(wanted, units, strict=True)):
            items.append(Item(department_id, village_id, industry_id, month, count))
    return items

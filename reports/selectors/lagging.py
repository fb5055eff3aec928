"""Enterprises lagging on the plan's figures: within a scope, each enterprise whose own figure of a
metric is below the target that applies to the scope, with what it lacks.

Read from the metrics' one definition (`Metric.enterprise_items`: the dashboards' items grouped by
enterprise) and the dashboards' targets and measures (reports.selectors.coverage): an enterprise's
figure here is the figure the enterprise's manager sees on their home. Metrics without a target
(or a count target) say nothing about one enterprise.

While a metric's snapshot is fresh (reports.selectors.snapshots) and was taken in the month asked,
its enterprises' figures are read from the stored EnterpriseMeasure rows (each enterprise's own
figure at that month, stored below 100 % only) instead of counted: the home counts the lagging
enterprises in one query, the list pages them in the database and builds the lacks of one page.
The stored rows are narrowed in SQL by covered × 100 < target × total, which is `gap_of` > 0 in
whole numbers; the lacks shown are still built with `gap_of`.

Queries: the targets, the snapshots, then either one per metric counting enterprises or their
people, or (all stored) one for the count / two for a page of the list and one for its lacks —
whatever the number of enterprises.
"""

import datetime
import operator
from dataclasses import dataclass
from functools import reduce

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.db.models.lookups import LessThan

from directory.models import Enterprise, User
from directory.selectors import enterprises_visible_to
from reports.metrics import Item, Kind, Measure, Metric, Scope, metric_list
from reports.models import EnterpriseMeasure, MetricSnapshot, Target
from reports.selectors.coverage import TargetBook, gap_of, measure_of
from reports.selectors.snapshots import snapshots_fresh

PER_PAGE = 50


@dataclass(frozen=True)
class Lack:
    """One metric on which an enterprise is below its target."""

    metric: Metric
    measure: Measure
    target: Target

    @property
    def missing(self) -> int:
        """How many of the enterprise's items are not covered (people, or the enterprise)."""
        return (self.measure.denominator or 0) - self.measure.numerator


@dataclass(frozen=True)
class LaggingEnterprise:
    enterprise: Enterprise
    lacks: list[Lack]


@dataclass(frozen=True)
class Targeted:
    """A rate metric with a percent target for the scope, and its fresh snapshot of the month
    asked when one holds the enterprises' figures (None: count live)."""

    metric: Metric
    target: Target
    snapshot: MetricSnapshot | None


def targeted_metrics(
    *, scope: Scope, year: int, month: int, today: datetime.date
) -> list[Targeted]:
    """The metrics an enterprise can lag on in `scope` (two queries: targets, snapshots)."""
    targets = TargetBook(year, today)
    snapshots = snapshots_fresh(year=year, dims={""}, with_items=False)
    targeted = []
    for metric in metric_list():
        if metric.kind != Kind.RATE:
            continue
        target = targets.applying(metric.code, scope)
        if target is None or target.target_percent is None:
            continue
        snapshot = snapshots.get((metric.code, ""))
        if snapshot is not None and snapshot.enterprise_month != month:
            snapshot = None
        targeted.append(Targeted(metric, target, snapshot))
    return targeted


def stored_below(targeted: list[Targeted], *, scope: Scope, year: int, month: int) -> QuerySet:
    """The stored figures of the scope's enterprises below their metric's target (every metric of
    `targeted` stored): covered / total < target %, in whole numbers."""
    below = [
        Q(
            LessThan(F("covered") * 100, F("total") * t.target.target_percent),
            metric_code=t.metric.code,
        )
        for t in targeted
    ]
    return EnterpriseMeasure.objects.filter(
        reduce(operator.or_, below),
        year=year,
        month=month,
        enterprise__in=scope.enterprises().values("pk"),
    )


def lacks_by_enterprise(
    *,
    scope: Scope,
    year: int,
    month: int,
    today: datetime.date,
    targeted: list[Targeted] | None = None,
    enterprise_ids: list[int] | None = None,
) -> dict[int, list[Lack]]:
    """Enterprise id -> its lacks at the end of `month`, for the enterprises of `scope` that lag
    (only those of `enterprise_ids` when given)."""
    if targeted is None:
        targeted = targeted_metrics(scope=scope, year=year, month=month, today=today)
    wanted = None if enterprise_ids is None else set(enterprise_ids)
    stored: dict[str, list[tuple[int, Measure]]] = {}
    if any(t.snapshot is not None for t in targeted):
        on_file = [t for t in targeted if t.snapshot is not None]
        rows = stored_below(on_file, scope=scope, year=year, month=month)
        if wanted is not None:
            rows = rows.filter(enterprise_id__in=wanted)
        for code, enterprise_id, covered, total in rows.values_list(
            "metric_code", "enterprise_id", "covered", "total"
        ):
            stored.setdefault(code, []).append((enterprise_id, Measure(covered, total)))
    lacks: dict[int, list[Lack]] = {}
    for t in targeted:
        if t.snapshot is not None:
            found = stored.get(t.metric.code, [])
        else:
            found = _live_measures(t.metric, scope=scope, year=year, month=month)
        for enterprise_id, measure in found:
            if wanted is not None and enterprise_id not in wanted:
                continue
            if gap_of(measure, t.target):
                lacks.setdefault(enterprise_id, []).append(Lack(t.metric, measure, t.target))
    return lacks


def _live_measures(metric: Metric, *, scope: Scope, year: int, month: int):
    groups: dict[int, list[Item]] = {}
    for enterprise_id, covered, count in metric.enterprise_items(scope=scope, year=year):
        groups.setdefault(enterprise_id, []).append(Item(None, None, None, covered, count))
    return [(pk, measure_of(metric, items, month)) for pk, items in groups.items()]


def _as_of(targeted: list[Targeted]) -> datetime.datetime | None:
    """The time of the oldest snapshot read when every metric's figures are stored, else None."""
    if not targeted or any(t.snapshot is None for t in targeted):
        return None
    return min(t.snapshot.computed_at for t in targeted)


def lagging_count(*, scope: Scope, year: int, month: int, today: datetime.date) -> int:
    """How many of the scope's enterprises lag: one counting query when every metric's figures
    are stored, else counted live."""
    targeted = targeted_metrics(scope=scope, year=year, month=month, today=today)
    if not targeted:
        return 0
    if _as_of(targeted) is None:
        return len(
            lacks_by_enterprise(scope=scope, year=year, month=month, today=today, targeted=targeted)
        )
    rows = stored_below(targeted, scope=scope, year=year, month=month)
    return rows.aggregate(n=Count("enterprise_id", distinct=True))["n"]


def lagging_page(
    user: User, *, scope: Scope, year: int, month: int, today: datetime.date, number
) -> tuple[Page, datetime.datetime | None]:
    """One page of the lagging enterprises the user sees, by name, each with its lacks; with the
    time the figures were counted (None: now). Paged in the database when every metric's
    figures are stored."""
    targeted = targeted_metrics(scope=scope, year=year, month=month, today=today)
    as_of = _as_of(targeted)
    enterprises = (
        enterprises_visible_to(user, scope.enterprises())
        .select_related("village", "lead_department")
        .order_by("name", "pk")
    )
    if as_of is None:
        rows = lagging_enterprises(
            user, scope=scope, year=year, month=month, today=today, targeted=targeted
        )
        return Paginator(rows, PER_PAGE).get_page(number), None
    lagging = stored_below(targeted, scope=scope, year=year, month=month)
    page = Paginator(enterprises.filter(pk__in=lagging.values("enterprise_id")), PER_PAGE).get_page(
        number
    )
    shown = list(page.object_list)
    lacks = lacks_by_enterprise(
        scope=scope,
        year=year,
        month=month,
        today=today,
        targeted=targeted,
        enterprise_ids=[e.pk for e in shown],
    )
    page.object_list = [LaggingEnterprise(e, lacks.get(e.pk, [])) for e in shown]
    return page, as_of


def lagging_enterprises(
    user: User,
    *,
    scope: Scope,
    year: int,
    month: int,
    today: datetime.date,
    targeted: list[Targeted] | None = None,
) -> list[LaggingEnterprise]:
    """The lagging enterprises the user sees, by name, each with its lacks."""
    lacks = lacks_by_enterprise(scope=scope, year=year, month=month, today=today, targeted=targeted)
    # The scope's enterprises read once (no list of ids however many lag).
    enterprises = (
        enterprises_visible_to(user, scope.enterprises())
        .select_related("village", "lead_department")
        .order_by("name", "pk")
    )
    return [LaggingEnterprise(e, lacks[e.pk]) for e in enterprises if e.pk in lacks]

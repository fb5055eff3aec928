"""Figures of the coverage metrics: a month's measure, the monthly trend, the ranking of units,
and the target that applies — all derived from one `Metric.items` list per metric and scope."""

import datetime
import hashlib
from dataclasses import dataclass, field

from directory.models import Department, Industry, Village
from reports.metrics import Item, Kind, Measure, Metric, Scope, metric_list
from reports.models import Target
from reports.selectors.snapshots import (
    RANK_DIM,
    scope_dims,
    snapshot_items,
    snapshots_fresh,
    snapshots_stamp,
)

# The units a ranking can be by: (Item attribute, Scope field, model).
RANK_BY = {
    "department": ("department_id", Department),
    "village": ("village_id", Village),
    "industry": ("industry_id", Industry),
}


def measure_of(metric: Metric, items: list[Item], month: int) -> Measure:
    covered = sum(
        i.count for i in items if i.covered_month is not None and i.covered_month <= month
    )
    total = sum(i.count for i in items)
    return Measure(covered, None if metric.kind == Kind.COUNT else total)


def metric_measure(
    metric: Metric, *, scope: Scope, year: int, month: int
) -> tuple[Measure | None, datetime.datetime | None]:
    """One metric's figure for a scope as the dashboard reads it: from a fresh snapshot when one
    holds the scope (one query), else counted live; with the time of the snapshot (None: now).
    None for the measure while the metric has no source."""
    dims = scope_dims(scope)
    stored = None
    if not scope.enterprise_id:
        stored = snapshots_fresh(year=year, dims={dims}, scope=scope).get((metric.code, dims))
    items = snapshot_items(stored, scope) if stored else metric.items(scope=scope, year=year)
    if items is None:
        return None, None
    return measure_of(metric, items, month), stored.computed_at if stored else None


def trend_of(metric: Metric, items: list[Item], month: int) -> list[tuple[int, Measure]]:
    """The measure at the end of each month from January to `month`, in one pass."""
    per_month = [0] * 13
    for item in items:
        if item.covered_month is not None and item.covered_month <= month:
            per_month[item.covered_month] += item.count
    denominator = None if metric.kind == Kind.COUNT else sum(i.count for i in items)
    result, running = [], per_month[0]
    for m in range(1, month + 1):
        running += per_month[m]
        result.append((m, Measure(running, denominator)))
    return result


@dataclass
class RankRow:
    by: str
    pk: int
    name: str
    measure: Measure
    target: Target | None = None

    @property
    def gap(self):
        return gap_of(self.measure, self.target)


def gap_of(measure: Measure | None, target: Target | None) -> float | None:
    """How far below the target (percentage points, or a number for counts); 0 when met."""
    if measure is None or target is None:
        return None
    if target.target_count is not None:
        return max(0, target.target_count - measure.numerator)
    if measure.percent is None:
        return None
    return max(0.0, target.target_percent - measure.percent)


def unit_names() -> dict[str, dict[int, str]]:
    """Names of departments, villages and industries (three small queries)."""
    return {
        by: dict(model.objects.order_by().values_list("pk", "name"))
        for by, (_attr, model) in RANK_BY.items()
    }


def ranking_of(
    metric: Metric,
    items: list[Item],
    month: int,
    by: str,
    names: dict[int, str],
    targets: "TargetBook | None" = None,
) -> list[RankRow]:
    attr = RANK_BY[by][0]
    groups: dict[int, list[Item]] = {}
    for item in items:
        key = getattr(item, attr)
        if key is not None:
            groups.setdefault(key, []).append(item)
    rows = []
    for pk, group in groups.items():
        row = RankRow(by, pk, names.get(pk, str(pk)), measure_of(metric, group, month))
        if targets is not None and by in ("department", "village"):
            row.target = targets.applying(metric.code, Scope(**{f"{by}_id": pk}))
        rows.append(row)

    def key(row: RankRow):
        value = row.measure.percent if metric.kind == Kind.RATE else row.measure.numerator
        return (-(value or 0), row.name)

    return sorted(rows, key=key)


class TargetBook:
    """The targets of a year, read once; which one applies to a metric and scope on a day."""

    def __init__(self, year: int, today: datetime.date):
        self.today = today
        self.targets = list(Target.objects.filter(year=year).order_by("deadline", "pk"))

    def applying(self, code: str, scope: Scope) -> Target | None:
        """The scope's own targets if any (a department or a village alone), else the town's;
        of those, the next deadline still ahead, or the last one once all have passed."""
        own = []
        if scope.department_id and not scope.village_id:
            own = [t for t in self.targets if t.department_id == scope.department_id]
        elif scope.village_id and not scope.department_id:
            own = [t for t in self.targets if t.village_id == scope.village_id]
        candidates = [t for t in own if t.metric == code] or [
            t for t in self.targets if t.metric == code and t.scope == "town"
        ]
        if not candidates:
            return None
        ahead = [t for t in candidates if t.deadline >= self.today]
        return ahead[0] if ahead else candidates[-1]


@dataclass
class MetricFigures:
    """One metric on a dashboard: None figures mean the source is not installed ("no data")."""

    metric: Metric
    measure: Measure | None
    target: Target | None
    trend: list[tuple[int, Measure]] = field(default_factory=list)
    rankings: dict[str, list[RankRow]] = field(default_factory=dict)
    # A count target (exemplary enterprises) is per department: no gap above one department.
    target_per_department: bool = False
    # When the figures come from a stored snapshot: the time it was counted (None: counted now).
    as_of: datetime.datetime | None = None

    @property
    def has_data(self) -> bool:
        return self.measure is not None

    @property
    def gap(self):
        if self.target_per_department:
            return None
        return gap_of(self.measure, self.target)


def ranking_units(scope: Scope) -> list[str]:
    """The units a scope is ranked by: those it is not already narrowed to (none within one
    enterprise)."""
    if scope.enterprise_id:
        return []
    return [by for by in RANK_BY if not getattr(scope, f"{by}_id")]


def dashboard_figures(
    *, scope: Scope, year: int, month: int, today: datetime.date, with_rankings: bool = True
) -> list[MetricFigures]:
    """Every registered metric for a scope: measure, target, trend and rankings.

    Queries: one for the targets, three for the unit names, one for the stored snapshots
    (reports.selectors.snapshots), and each metric's own (two for the drills) unless a fresh
    snapshot holds its items — independent of the number of enterprises, people or units.
    """
    targets = TargetBook(year, today)
    names = unit_names() if with_rankings else {}
    ranked = ranking_units(scope) if with_rankings else []
    # The snapshot rows this scope needs: its own unit kinds, and one more per ranking.
    wanted = {"": scope_dims(scope)} | {by: scope_dims(scope, RANK_DIM[by]) for by in ranked}
    # Snapshots keep no enterprise: one enterprise's figures are always counted live.
    snapshots = (
        {}
        if scope.enterprise_id
        else snapshots_fresh(year=year, dims=set(wanted.values()), scope=scope)
    )
    figures = []
    for metric in metric_list():
        stored = [snapshots.get((metric.code, dims)) for dims in wanted.values()]
        from_snapshot = all(stored)
        if from_snapshot:
            items = snapshot_items(snapshots[(metric.code, wanted[""])], scope)
        else:
            items = metric.items(scope=scope, year=year)
        target = targets.applying(metric.code, scope)
        per_department = metric.kind == Kind.COUNT and not (
            scope.department_id and not scope.village_id and not scope.industry_id
        )
        if items is None:
            figures.append(MetricFigures(metric, None, target))
            continue
        fig = MetricFigures(
            metric,
            measure_of(metric, items, month),
            target,
            trend_of(metric, items, month),
            target_per_department=per_department,
            as_of=stored[0].computed_at if from_snapshot else None,
        )
        for by in ranked:
            by_items = (
                snapshot_items(snapshots[(metric.code, wanted[by])], scope)
                if from_snapshot
                else items
            )
            fig.rankings[by] = ranking_of(metric, by_items, month, by, names[by], targets)
        figures.append(fig)
    return figures


def dashboard_version(*, year: int, today: datetime.date) -> tuple[str, int] | None:
    """What every scope's dashboard figures of `year` are read from on `today` — the fresh
    snapshots and the year's targets (two queries) — as a version, with the seconds it holds (until
    the oldest snapshot turns stale): equal versions give equal figures, so a rendered dashboard
    may be kept that long. None while no snapshot is fresh (the figures are counted on each
    request). Units renamed show under their new name at the next refresh."""
    stamp = snapshots_stamp(year=year)
    if stamp is None:
        return None
    snapshots, seconds = stamp
    targets = list(
        Target.objects.filter(year=year)
        .order_by("pk")
        .values_list(
            "pk",
            "metric",
            "scope",
            "department_id",
            "village_id",
            "target_percent",
            "target_count",
            "deadline",
        )
    )
    made_of = repr((snapshots, targets, today.isoformat())).encode()
    return hashlib.sha256(made_of).hexdigest()[:32], seconds

"""Enterprises lagging on the plan's figures: within a scope, each enterprise whose own figure of a
metric is below the target that applies to the scope, with what it lacks.

Read from the metrics' one definition (`Metric.enterprise_items`: the dashboards' items grouped by
enterprise) and the dashboards' targets and measures (reports.selectors.coverage): an enterprise's
figure here is the figure the enterprise's manager sees on their home. Metrics without a target
(or a count target) say nothing about one enterprise.

Queries: the targets, one per metric counting enterprises or their people, and (for the list) one
for the enterprises — whatever the number of enterprises.
"""

import datetime
from dataclasses import dataclass

from directory.models import Enterprise, User
from directory.selectors import enterprises_visible_to
from reports.metrics import Item, Kind, Measure, Metric, Scope, metric_list
from reports.models import Target
from reports.selectors.coverage import TargetBook, gap_of, measure_of


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


def lacks_by_enterprise(
    *, scope: Scope, year: int, month: int, today: datetime.date
) -> dict[int, list[Lack]]:
    """Enterprise id -> its lacks at the end of `month`, for the enterprises of `scope` that lag."""
    targets = TargetBook(year, today)
    lacks: dict[int, list[Lack]] = {}
    for metric in metric_list():
        if metric.kind != Kind.RATE:
            continue
        target = targets.applying(metric.code, scope)
        if target is None or target.target_percent is None:
            continue
        groups: dict[int, list[Item]] = {}
        for enterprise_id, covered, count in metric.enterprise_items(scope=scope, year=year):
            groups.setdefault(enterprise_id, []).append(Item(None, None, None, covered, count))
        for enterprise_id, items in groups.items():
            measure = measure_of(metric, items, month)
            if gap_of(measure, target):
                lacks.setdefault(enterprise_id, []).append(Lack(metric, measure, target))
    return lacks


def lagging_enterprises(
    user: User, *, scope: Scope, year: int, month: int, today: datetime.date
) -> list[LaggingEnterprise]:
    """The lagging enterprises the user sees, by name, each with its lacks."""
    lacks = lacks_by_enterprise(scope=scope, year=year, month=month, today=today)
    # The scope's enterprises read once (no list of ids however many lag).
    enterprises = (
        enterprises_visible_to(user, scope.enterprises())
        .select_related("village", "lead_department")
        .order_by("name", "pk")
    )
    return [LaggingEnterprise(e, lacks[e.pk]) for e in enterprises if e.pk in lacks]

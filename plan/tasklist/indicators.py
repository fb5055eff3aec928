"""A task's indicator figure: the platform metric it names, read for a unit (or the town) the
same way the dashboards read it, so a task never shows a typed number next to its target."""

from dataclasses import dataclass
from decimal import Decimal

from plan.tasklist.models import Task
from reports.metrics import Scope
from reports.metrics.base import metric_get
from reports.selectors.coverage import measure_of


@dataclass(frozen=True)
class IndicatorFigure:
    """The metric's figure for a scope at the end of a month, and the task's target beside it."""

    label: str
    numerator: int
    denominator: int | None
    # A rate metric's figure is its percent; a count metric's its count.
    value: Decimal
    target: Decimal | None
    is_rate: bool

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.value >= self.target


def task_indicator_figure(
    task: Task,
    *,
    scope: Scope,
    year: int,
    month: int,
    items_cache: dict | None = None,
) -> IndicatorFigure | None:
    """None when the task names no metric, or the metric's source is not installed.

    `items_cache` (keyed by metric code and scope) lets a page that shows many tasks of one
    scope read each metric once.
    """
    if not task.indicator_metric:
        return None
    metric = metric_get(task.indicator_metric)
    if metric is None:
        return None
    key = (metric.code, scope, year)
    if items_cache is not None and key in items_cache:
        items = items_cache[key]
    else:
        items = metric.items(scope=scope, year=year)
        if items_cache is not None:
            items_cache[key] = items
    if items is None:
        return None
    measure = measure_of(metric, items, month)
    percent = measure.percent
    is_rate = measure.denominator is not None
    value = (
        Decimal(str(round(percent, 1)))
        if is_rate and percent is not None
        else Decimal(measure.numerator)
    )
    return IndicatorFigure(
        label=str(metric.label),
        numerator=measure.numerator,
        denominator=measure.denominator,
        value=value,
        target=task.indicator_target,
        is_rate=is_rate,
    )

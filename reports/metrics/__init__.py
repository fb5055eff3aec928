"""Coverage metrics, one module per source; importing the package registers them all."""

from reports.metrics import certificates, drills, exemplary, learning, sessions  # noqa: F401
from reports.metrics.base import (
    REGISTRY,
    Item,
    Kind,
    Measure,
    Metric,
    Scope,
    Unit,
    metric_choices,
    metric_get,
    metric_list,
    register,
)

__all__ = [
    "REGISTRY",
    "Item",
    "Kind",
    "Measure",
    "Metric",
    "Scope",
    "Unit",
    "metric_choices",
    "metric_get",
    "metric_list",
    "register",
]

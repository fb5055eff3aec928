"""Coverage metrics: the catalogue (plain data) and one computing module per source.

Importing the package loads no computing module (they read other apps' models);
ReportsConfig.ready() calls `metrics_load`.
"""

from importlib import import_module

from reports.metrics.base import (
    REGISTRY,
    Item,
    Kind,
    Measure,
    Metric,
    Scope,
    Unit,
    metric_get,
    metric_list,
    register,
    registry_check,
)

# The modules whose classes compute the catalogue's metrics, one per source.
COMPUTING_MODULES = (
    "cadres",
    "certificates",
    "drills",
    "duties",
    "exemplary",
    "learning",
    "reach",
    "sessions",
)


def metrics_load() -> None:
    for name in COMPUTING_MODULES:
        import_module(f"reports.metrics.{name}")
    registry_check()


__all__ = [
    "REGISTRY",
    "Item",
    "Kind",
    "Measure",
    "Metric",
    "Scope",
    "Unit",
    "metric_get",
    "metric_list",
    "metrics_load",
    "register",
]

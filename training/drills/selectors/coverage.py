"""Drill coverage for the reporting issue: enterprises that met the year's obligation over the
active enterprises, for the whole town and per department, village and industry.

Six queries whatever the number of enterprises: the obligation status (two), the enterprises'
units (one), the names of departments, villages and industries (one each).
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet

from directory.models import Department, Enterprise, Industry, Village
from training.drills.selectors.obligations import DONE, drill_obligation_status

DIMENSIONS = {
    "department": ("lead_department_id", Department),
    "village": ("village_id", Village),
    "industry": ("industry_id", Industry),
}


@dataclass(frozen=True)
class CoverageRow:
    key: int | None
    label: str
    met: int
    active: int

    @property
    def rate(self) -> float | None:
        return self.met / self.active if self.active else None


@dataclass(frozen=True)
class Coverage:
    year: int
    town: CoverageRow
    by: dict[str, list[CoverageRow]]


def drill_coverage(
    *, enterprises: QuerySet[Enterprise], year: int, today: datetime.date
) -> Coverage:
    """`enterprises`: the active enterprises to count (e.g. selectors.obligation_enterprises_for)."""
    met_ids = {
        row.enterprise_id
        for row in drill_obligation_status(enterprises=enterprises, year=year, today=today)
        if row.status == DONE
    }
    fields = [field for field, _model in DIMENSIONS.values()]
    units = list(enterprises.order_by().values_list("pk", *fields))
    by = {}
    for position, (name, (_field, model)) in enumerate(DIMENSIONS.items(), start=1):
        active, met = Counter(), Counter()
        for unit in units:
            active[unit[position]] += 1
            met[unit[position]] += unit[0] in met_ids
        labels = dict(model.objects.filter(pk__in=active).values_list("pk", "name"))
        by[name] = sorted(
            (
                CoverageRow(key=key, label=labels.get(key, "—"), met=met[key], active=count)
                for key, count in active.items()
            ),
            key=lambda row: row.label,
        )
    town = CoverageRow(key=None, label="", met=len(met_ids), active=len(units))
    return Coverage(year=year, town=town, by=by)

"""The drill module's three figures over the active enterprises a user follows, for the whole town
and per department, village and industry: enterprises that held a drill, that met the evacuation
duty (the plan's item 21) and that met every duty they owe — the same three the coverage metrics
count (reports.metrics.drills: drills_held, drill_coverage, drill_duties_met).

Six queries whatever the number of enterprises: the obligation status (two), the enterprises'
units (one), the names of departments, villages and industries (one each).
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from directory.models import Department, Enterprise, Industry, Village
from training.drills.rules import DrillDuty
from training.drills.selectors.obligations import DONE, ObligationStatus, drill_obligation_status

DIMENSIONS = {
    "department": ("lead_department_id", Department),
    "village": ("village_id", Village),
    "industry": ("industry_id", Industry),
}

# The figures, by their metric codes and with their labels (reports.metrics.catalogue), and what
# puts an enterprise in each numerator.
FIGURES: dict[str, tuple] = {
    "drills_held": (_("Enterprises that held a drill"), lambda row: row.drilled),
    "drill_coverage": (
        _("Annual evacuation drill coverage"),
        lambda row: row.duty_status(DrillDuty.EVACUATION) == DONE,
    ),
    "drill_duties_met": (_("Drill duties met"), lambda row: row.status == DONE),
}


def figure_met(code: str, row: ObligationStatus) -> bool:
    """Whether an enterprise's obligation puts it in the numerator of the figure `code`."""
    return FIGURES[code][1](row)


@dataclass(frozen=True)
class CoverageRow:
    key: int | None
    label: str
    # Numerator per figure code.
    met: dict[str, int]
    active: int

    def rate(self, code: str) -> float | None:
        return self.met[code] / self.active if self.active else None

    @property
    def figures(self) -> list[tuple[str, int, int | None]]:
        """(label, numerator, rounded percent) per figure, in the order of FIGURES."""
        return [
            (
                label,
                self.met[code],
                round(100 * self.met[code] / self.active) if self.active else None,
            )
            for code, (label, _test) in FIGURES.items()
        ]


@dataclass(frozen=True)
class Coverage:
    year: int
    town: CoverageRow
    by: dict[str, list[CoverageRow]]


def obligation_figures(rows: list[ObligationStatus]) -> dict[str, set[int]]:
    """The enterprises counted by each figure (its numerator)."""
    return {code: {row.enterprise_id for row in rows if figure_met(code, row)} for code in FIGURES}


def drill_coverage(
    *, enterprises: QuerySet[Enterprise], year: int, today: datetime.date
) -> Coverage:
    """`enterprises`: the active enterprises to count (e.g. selectors.obligation_enterprises_for)."""
    met_ids = obligation_figures(
        drill_obligation_status(enterprises=enterprises, year=year, today=today)
    )
    fields = [field for field, _model in DIMENSIONS.values()]
    units = list(enterprises.order_by().values_list("pk", *fields))
    by = {}
    for position, (name, (_field, model)) in enumerate(DIMENSIONS.items(), start=1):
        active = Counter()
        met = {code: Counter() for code in FIGURES}
        for unit in units:
            active[unit[position]] += 1
            for code, ids in met_ids.items():
                met[code][unit[position]] += unit[0] in ids
        labels = dict(model.objects.filter(pk__in=active).values_list("pk", "name"))
        by[name] = sorted(
            (
                CoverageRow(
                    key=key,
                    label=labels.get(key, "—"),
                    met={code: met[code][key] for code in FIGURES},
                    active=count,
                )
                for key, count in active.items()
            ),
            key=lambda row: row.label,
        )
    town = CoverageRow(
        key=None, label="", met={code: len(ids) for code, ids in met_ids.items()}, active=len(units)
    )
    return Coverage(year=year, town=town, by=by)

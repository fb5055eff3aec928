"""The drill module's three figures over the active enterprises a user follows, for the whole town
and per department, village and industry: enterprises that held a drill, that met the evacuation
duty (the plan's item 21) and that met every duty they owe — the same three the coverage metrics
count (reports.metrics.drills: drills_held, drill_coverage, drill_duties_met).

Four queries whatever the number of enterprises: the figures counted by the database per
department × village × industry from each enterprise's deadlines (training.drills.selectors.
deadlines: index lookups on its drill records), then the names of departments, villages and
industries (one each). `figure_met` states the same figures over one enterprise's judged
obligation (ObligationStatus), as the obligation list shows it.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from directory.models import Department, Enterprise, Industry, Village
from training.drills.rules import DrillDuty
from training.drills.selectors.deadlines import drilled, duty_deadline, next_deadline
from training.drills.selectors.obligations import DONE, ObligationStatus

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


def _enterprise_figures(enterprises: QuerySet[Enterprise], year: int, today: datetime.date):
    """`enterprises` with what each figure tests (training.drills.selectors.deadlines), as aliases
    the database counts by."""
    return enterprises.alias(
        held=drilled(year, today),
        evacuation_due=duty_deadline(DrillDuty.EVACUATION, year, today),
        drill_due=next_deadline(year, today),
    )


# What puts an enterprise in each figure's numerator, in SQL over _enterprise_figures (the
# evacuation duty is owed by every enterprise: no open deadline is done).
FIGURES_SQL = {
    "drills_held": Q(held=True),
    "drill_coverage": Q(evacuation_due__isnull=True),
    "drill_duties_met": Q(drill_due__isnull=True),
}


def drill_coverage(
    *, enterprises: QuerySet[Enterprise], year: int, today: datetime.date
) -> Coverage:
    """`enterprises`: the active enterprises to count (e.g. selectors.obligation_enterprises_for).
    Counted by the database per department × village × industry, summed here per dimension."""
    fields = [field for field, _model in DIMENSIONS.values()]
    rows = (
        _enterprise_figures(enterprises, year, today)
        .order_by()
        .values_list(*fields)
        .annotate(
            active=Count("pk"),
            **{code: Count("pk", filter=test) for code, test in FIGURES_SQL.items()},
        )
    )
    combinations = [(row[:3], row[3], dict(zip(FIGURES_SQL, row[4:], strict=True))) for row in rows]
    by = {}
    for position, (name, (_field, model)) in enumerate(DIMENSIONS.items()):
        active = Counter()
        met = {code: Counter() for code in FIGURES}
        for units, count, figures in combinations:
            active[units[position]] += count
            for code in FIGURES:
                met[code][units[position]] += figures[code]
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
        key=None,
        label="",
        met={code: sum(figures[code] for _u, _n, figures in combinations) for code in FIGURES},
        active=sum(count for _u, count, _f in combinations),
    )
    return Coverage(year=year, town=town, by=by)

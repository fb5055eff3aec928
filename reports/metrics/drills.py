"""The three drill figures, each an enterprise count over the active enterprises of a scope:

- 开展演练企业占比 (`drills_held`): at least one counted drill of any kind this year;
- 年度疏散演练覆盖率 (`drill_coverage`, 徐泾镇三年行动方案 第21条): the evacuation duty met;
- 演练义务完成率 (`drill_duties_met`): every duty the enterprise owes met.

Source: training.drills.rules (the duties, each yearly or each half year, regulations.md §4, in
their SQL forms `duty_applies_q` / `duty_half_yearly_q` / `record_meets_q`) and
training.drills.selectors.obligations.COUNTING_STATUSES (which records count). A yearly duty is met
from the month of its first counted drill meeting it; a half-yearly one from the month of its first
such drill of the second half, provided there was one in the first. The drill module's obligation
list (training.drills.selectors.obligations) states the same figures per enterprise.
"""

import datetime

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, Greatest, NullIf

from reports.metrics.base import COVERED_OR_NEVER, Item, Metric, Scope, register
from training.drills.rules import (
    DrillDuty,
    duty_applies_q,
    duty_half_yearly_q,
    first_half_deadline,
    record_meets_q,
)
from training.drills.selectors.obligations import COUNTING_STATUSES
from training.models import DrillRecord

# Stands for "never" inside GREATEST (NULL there means different things on different databases).
NEVER = 13


def month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def _counted_records(start: datetime.date, end: datetime.date, duty: str | None = None):
    """The enterprise's counted drill records between two days (for a subquery); with `duty`,
    only those meeting it."""
    records = DrillRecord.objects.filter(
        enterprise=OuterRef("pk"),
        date__gte=start,
        date__lte=end,
        review_status__in=COUNTING_STATUSES,
    )
    return records.filter(record_meets_q(duty)) if duty else records


def _first_month(start: datetime.date, end: datetime.date, duty: str | None = None) -> Subquery:
    """The month of the enterprise's first counted drill (meeting `duty`) between two days, or NULL."""
    return Subquery(
        _counted_records(start, end, duty)
        .order_by("date")
        .annotate(month=ExtractMonth("date"))
        .values("month")[:1],
        output_field=IntegerField(),
    )


def held_month(year: int) -> Subquery:
    """The month of the enterprise's first counted drill of any kind in `year`, or NULL."""
    return _first_month(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def duty_met_month(duty: str, year: int) -> Case:
    """The month by whose end the enterprise met `duty` in `year`: 0 when it does not owe it,
    NULL when not met. CASE is evaluated lazily: a yearly duty costs one index lookup, a
    half-yearly one two."""
    jan1, jul1, dec31 = (datetime.date(year, m, d) for m, d in ((1, 1), (7, 1), (12, 31)))
    first_half = Exists(_counted_records(jan1, first_half_deadline(year), duty))
    owed = duty_applies_q(duty)
    return Case(
        When(
            owed & duty_half_yearly_q(duty),
            then=Case(
                When(first_half, then=_first_month(jul1, dec31, duty)),
                default=Value(None),
                output_field=IntegerField(),
            ),
        ),
        When(owed, then=_first_month(jan1, dec31, duty)),
        default=Value(0),
        output_field=IntegerField(),
    )


def duties_met_month(year: int):
    """The month by whose end the enterprise met every duty it owes in `year`, or NULL."""
    latest = Greatest(
        *(
            Coalesce(duty_met_month(duty, year), Value(NEVER), output_field=IntegerField())
            for duty in DrillDuty.values
        ),
        output_field=IntegerField(),
    )
    return NullIf(latest, Value(NEVER), output_field=IntegerField())


class EnterpriseMonthMetric(Metric):
    """An enterprise count whose covered month is one SQL expression (`covered_month`)."""

    def covered_month(self, year: int):
        raise NotImplementedError

    def items(self, *, scope: Scope, year: int) -> list[Item]:
        """One grouped query: each enterprise's covered month from index lookups on its drill
        records (enterprise, date), counted per unit and covered month by the database."""
        rows = (
            scope.enterprises()
            .annotate(covered=self.covered_month(year))
            .order_by()
            .values_list("lead_department_id", "village_id", "industry_id", "covered")
            .annotate(n=Count("pk"))
        )
        return [Item(*row) for row in rows]

    def enterprise_items(self, *, scope: Scope, year: int) -> list[tuple[int, int | None, int]]:
        rows = (
            scope.enterprises()
            .annotate(covered=self.covered_month(year))
            .order_by()
            .values_list("pk", "covered")
        )
        return [(pk, covered, 1) for pk, covered in rows]

    def uncovered(self, *, scope: Scope, year: int, month: int):
        return (
            scope.enterprises()
            .alias(covered=self.covered_month(year))
            .alias(not_before=COVERED_OR_NEVER)
            .filter(not_before__gt=month)
            .select_related("village", "industry", "lead_department")
        )


@register
class DrillsHeld(EnterpriseMonthMetric):
    code = "drills_held"

    def covered_month(self, year: int):
        return held_month(year)


@register
class DrillCoverage(EnterpriseMonthMetric):
    code = "drill_coverage"

    def covered_month(self, year: int):
        return duty_met_month(DrillDuty.EVACUATION, year)


@register
class DrillDutiesMet(EnterpriseMonthMetric):
    code = "drill_duties_met"

    def covered_month(self, year: int):
        return duties_met_month(year)

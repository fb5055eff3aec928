"""年度疏散演练覆盖率: enterprises that met this year's drill obligation / active enterprises.

Source: the training app's drills (training.drills.rules: how many drills a year each enterprise owes,
regulations.md §4; training.drills.selectors.records.COUNTING_STATUSES: which records count). An enterprise owing
one drill a year is covered from the month of its first counted drill; one owing a drill each half
year from the month of its first drill of the second half, provided it drilled in the first.
"""

import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth

from reports.metrics.base import Item, Metric, Scope, register
from training.drills.rules import (
    HALF_YEARLY,
    HALF_YEARLY_FLAGS,
    HALF_YEARLY_RISK_CLASSES,
    YEARLY,
    first_half_deadline,
)
from training.drills.selectors.obligations import COUNTING_STATUSES
from training.models import DrillRecord


def drills_required():
    """The drills owed a year as an SQL expression over the enterprise (training.drills.rules' tables)."""
    half_yearly = Q(industry__risk_class__in=list(HALF_YEARLY_RISK_CLASSES))
    for name, _label in HALF_YEARLY_FLAGS:
        half_yearly |= Q(**{name: True})
    return Case(
        When(half_yearly, then=Value(HALF_YEARLY)),
        default=Value(YEARLY),
        output_field=IntegerField(),
    )


def month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def _counted_records(start: datetime.date, end: datetime.date):
    """The enterprise's counted drill records between two days (for a subquery)."""
    return DrillRecord.objects.filter(
        enterprise=OuterRef("pk"),
        date__gte=start,
        date__lte=end,
        review_status__in=COUNTING_STATUSES,
    )


def _first_month(start: datetime.date, end: datetime.date) -> Subquery:
    """The month of the enterprise's first counted drill between two days, or NULL."""
    return Subquery(
        _counted_records(start, end)
        .order_by("date")
        .annotate(month=ExtractMonth("date"))
        .values("month")[:1],
        output_field=IntegerField(),
    )


def _counted(start: datetime.date, end: datetime.date) -> Exists:
    return Exists(_counted_records(start, end))


@register
class DrillCoverage(Metric):
    code = "drill_coverage"

    def items(self, *, scope: Scope, year: int) -> list[Item]:
        """One grouped query: each enterprise's covered month from index lookups on its drill
        records (enterprise, date), counted per unit and covered month by the database."""
        jan1, jul1, dec31 = (datetime.date(year, m, d) for m, d in ((1, 1), (7, 1), (12, 31)))
        # CASE is evaluated lazily: a yearly obligation costs one lookup, a half-yearly one two.
        covered = Case(
            When(required=YEARLY, then=_first_month(jan1, dec31)),
            When(
                Q(required=HALF_YEARLY)
                & Q(Exists(_counted_records(jan1, first_half_deadline(year)))),
                then=_first_month(jul1, dec31),
            ),
            default=Value(None),
            output_field=IntegerField(),
        )
        rows = (
            scope.enterprises()
            .alias(required=drills_required())
            .annotate(covered=covered)
            .order_by()
            .values_list("lead_department_id", "village_id", "industry_id", "covered")
            .annotate(n=Count("pk"))
        )
        return [Item(*row) for row in rows]

    def uncovered(self, *, scope: Scope, year: int, month: int):
        end = month_end(year, month)
        first_half_end = min(end, first_half_deadline(year))
        return (
            scope.enterprises()
            .annotate(
                required=drills_required(),
                any_drill=_counted(datetime.date(year, 1, 1), end),
                first_half=_counted(datetime.date(year, 1, 1), first_half_end),
                second_half=_counted(datetime.date(year, 7, 1), end),
            )
            .exclude(
                Q(required=YEARLY, any_drill=True)
                | Q(required=HALF_YEARLY, first_half=True, second_half=True)
            )
            .select_related("village", "industry", "lead_department")
        )

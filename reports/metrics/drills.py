"""年度疏散演练覆盖率: enterprises that met this year's drill obligation / active enterprises.

Source: the training app's drills (training.drills.rules: how many drills a year each enterprise owes,
regulations.md §4, with its SQL form `half_yearly_q`; training.drills.selectors.obligations.COUNTING_STATUSES:
which records count). An enterprise owing one drill a year is covered from the month of its first
counted drill; one owing a drill each half year from the month of its first drill of the second
half, provided it drilled in the first. An enterprise that keeps an on-site disposal plan counts
only drills of that plan (as training.drills.selectors.obligations does).
"""

import datetime

from django.db.models import (
    BooleanField,
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
from training.drills.models.records import PlanType
from training.drills.rules import (
    HALF_YEARLY,
    YEARLY,
    first_half_deadline,
    half_yearly_q,
    on_site_plan_q,
)
from training.drills.selectors.obligations import COUNTING_STATUSES
from training.models import DrillRecord


def drills_required():
    """The drills owed a year as an SQL expression over the enterprise (training.drills.rules' tables)."""
    return Case(
        When(half_yearly_q(), then=Value(HALF_YEARLY)),
        default=Value(YEARLY),
        output_field=IntegerField(),
    )


def month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def _counted_records(start: datetime.date, end: datetime.date, *, on_site: bool = False):
    """The enterprise's counted drill records between two days (for a subquery); with `on_site`,
    only drills of the on-site disposal plan."""
    records = DrillRecord.objects.filter(
        enterprise=OuterRef("pk"),
        date__gte=start,
        date__lte=end,
        review_status__in=COUNTING_STATUSES,
    )
    return records.filter(plan_type=PlanType.ON_SITE) if on_site else records


def _first_month(start: datetime.date, end: datetime.date, *, on_site: bool = False) -> Subquery:
    """The month of the enterprise's first counted drill between two days, or NULL."""
    return Subquery(
        _counted_records(start, end, on_site=on_site)
        .order_by("date")
        .annotate(month=ExtractMonth("date"))
        .values("month")[:1],
        output_field=IntegerField(),
    )


def _counted(start: datetime.date, end: datetime.date) -> Case:
    """Whether the enterprise has a drill that counts for it between two days: any drill, or one
    of its on-site disposal plan when it keeps one (training.drills.rules.ON_SITE_PLAN_FLAG)."""
    return Case(
        When(on_site_plan_q(), then=Exists(_counted_records(start, end, on_site=True))),
        default=Exists(_counted_records(start, end)),
        output_field=BooleanField(),
    )


@register
class DrillCoverage(Metric):
    code = "drill_coverage"

    def items(self, *, scope: Scope, year: int) -> list[Item]:
        """One grouped query: each enterprise's covered month from index lookups on its drill
        records (enterprise, date), counted per unit and covered month by the database."""
        jan1, jul1, dec31 = (datetime.date(year, m, d) for m, d in ((1, 1), (7, 1), (12, 31)))
        # CASE is evaluated lazily: a yearly obligation costs one lookup, a half-yearly one two.
        h1_end = first_half_deadline(year)
        on_site = on_site_plan_q()
        # An on-site plan always makes the obligation half-yearly (training.drills.rules).
        covered = Case(
            When(required=YEARLY, then=_first_month(jan1, dec31)),
            When(
                on_site & Q(Exists(_counted_records(jan1, h1_end, on_site=True))),
                then=_first_month(jul1, dec31, on_site=True),
            ),
            When(
                ~on_site & Q(required=HALF_YEARLY) & Q(Exists(_counted_records(jan1, h1_end))),
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

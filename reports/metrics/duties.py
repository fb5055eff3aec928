"""The principals' own duties (徐泾镇三年行动方案 第3、12条):

- 五带头清单通过率 (`principal_duties_accepted`): principals in post at the scope's active
  enterprises whose checklist of the year the lead department has accepted, covered from the month
  of acceptance (reviewed in the year; an acceptance in January of the next year is not counted);
- 主要负责人带队自查率 (`principal_self_inspection`): active enterprises whose principal led a
  self-inspection in the quarter, covered from the month of its first one. The quarter is the
  current one for the current year and the fourth for a past year (the figure is the quarter's: the
  monthly trend shows nothing before the quarter's first month), and so is its uncovered list.

Source: training.duties (checklists, self-inspections; the due / done / overdue rules in
training.duties.rules).
"""

import datetime

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from reports.metrics.base import COVERED_OR_NEVER, Item, Metric, PeopleMetric, Scope, register
from training.duties.models import ChecklistStatus, PrincipalChecklist, SelfInspection
from training.duties.rules import quarter_bounds, quarter_of


@register
class PrincipalDutiesAccepted(PeopleMetric):
    code = "principal_duties_accepted"

    """Principals are the principals of their employer: counted among its employees only, never
    at a host they are attached to."""

    def counted(self, people: QuerySet, *, year: int) -> QuerySet:
        accepted = PrincipalChecklist.objects.filter(
            principal=OuterRef("pk"),
            enterprise=OuterRef("employer"),
            year=year,
            status=ChecklistStatus.ACCEPTED,
            reviewed_at__year=year,
        ).annotate(month=ExtractMonth("reviewed_at"))
        covered = Subquery(accepted.values("month")[:1], output_field=IntegerField())
        return people.filter(is_principal=True).annotate(covered=covered)

    def people(self, *, scope: Scope, year: int) -> QuerySet:
        return self.counted(scope.employees(), year=year)

    def enterprise_items(self, *, scope: Scope, year: int) -> list[tuple[int, int | None, int]]:
        rows = (
            self.people(scope=scope, year=year)
            .order_by()
            .values_list("employer_id", "covered")
            .annotate(n=Count("pk"))
        )
        return list(rows)

    def uncovered(self, *, scope: Scope, year: int, month: int) -> QuerySet:
        return (
            self.people(scope=scope, year=year)
            .alias(not_before=COVERED_OR_NEVER)
            .filter(not_before__gt=month)
            .select_related("employer")
        )


def figure_quarter(year: int, today: datetime.date | None = None) -> int:
    """The quarter a year's figure is about: the current one this year, the fourth before."""
    today = today or timezone.localdate()
    if year < today.year:
        return 4
    return quarter_of(today) if year == today.year else 1


@register
class PrincipalSelfInspection(Metric):
    code = "principal_self_inspection"

    def covered_month(self, year: int, quarter: int) -> Subquery:
        start, end = quarter_bounds(year, quarter)
        first = (
            SelfInspection.objects.filter(enterprise=OuterRef("pk"), date__gte=start, date__lte=end)
            .order_by("date")
            .annotate(month=ExtractMonth("date"))
            .values("month")[:1]
        )
        return Subquery(first, output_field=IntegerField())

    def items(self, *, scope: Scope, year: int) -> list[Item]:
        rows = (
            scope.enterprises()
            .annotate(covered=self.covered_month(year, figure_quarter(year)))
            .order_by()
            .values_list("lead_department_id", "village_id", "industry_id", "covered")
            .annotate(n=Count("pk"))
        )
        return [Item(*row) for row in rows]

    def enterprise_items(self, *, scope: Scope, year: int) -> list[tuple[int, int | None, int]]:
        rows = (
            scope.enterprises()
            .annotate(covered=self.covered_month(year, figure_quarter(year)))
            .order_by()
            .values_list("pk", "covered")
        )
        return [(pk, covered, 1) for pk, covered in rows]

    def uncovered(self, *, scope: Scope, year: int, month: int) -> QuerySet:
        """Enterprises with no principal-led self-inspection in the figure's quarter by the end
        of `month` (the same items as the figure)."""
        return (
            scope.enterprises()
            .alias(covered=self.covered_month(year, figure_quarter(year)))
            .alias(not_before=COVERED_OR_NEVER)
            .filter(not_before__gt=month)
            .select_related("village", "industry", "lead_department")
        )

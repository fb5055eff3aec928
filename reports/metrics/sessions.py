"""The three metrics whose source is the offline sessions (training app, issue 6): 主要负责人培训
覆盖率, 监管人员年度培训率 and 判定标准学习开展率.

Who counts and what covers them is the sessions' own definition
(training.sessions.selectors.feeds: key enterprises, attendance that counts, the assessment passed,
inspectors in post, member units, criteria sessions held) — not re-encoded here.

- Principal training: each active key-industry enterprise is covered from the month its current
  principal first attended a principals' training of the year or passed the assessment.
- Inspectors: each inspector in post from the month they first attended the year's centralized
  training. Inspectors belong to a department, not to a village or an industry: a village's or
  an industry's figures have none.
- Criteria study: each member unit from the month of its first criteria study session of the
  year held by the deadline (31 December, plan item 10). A member unit is a department: a
  village's or an industry's figures have none.

One grouped query per metric for the figures, one query for the drill-down.
"""

import datetime

from django.db.models import Count, IntegerField, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import ExtractMonth

from reports.metrics.base import COVERED_OR_NEVER, Item, Metric, Scope, register
from training.sessions.selectors.feeds import (
    criteria_sessions_held,
    inspector_attended_month,
    inspectors_in_post,
    key_enterprises,
    member_units,
    principal_covered_month,
)


@register
class PrincipalTraining(Metric):
    code = "principal_training"

    def enterprises(self, *, scope: Scope, year: int) -> QuerySet:
        return key_enterprises().filter(**scope.enterprise_filters())

    def items(self, *, scope: Scope, year: int) -> list[Item]:
        rows = (
            self.enterprises(scope=scope, year=year)
            .annotate(covered=principal_covered_month(year=year))
            .order_by()
            .values_list("lead_department_id", "village_id", "industry_id", "covered")
            .annotate(n=Count("pk"))
        )
        return [Item(*row) for row in rows]

    def enterprise_items(self, *, scope: Scope, year: int) -> list[tuple[int, int | None, int]]:
        rows = (
            self.enterprises(scope=scope, year=year)
            .annotate(covered=principal_covered_month(year=year))
            .order_by()
            .values_list("pk", "covered")
        )
        return [(pk, covered, 1) for pk, covered in rows]

    def uncovered(self, *, scope: Scope, year: int, month: int) -> QuerySet:
        return (
            self.enterprises(scope=scope, year=year)
            .annotate(covered=principal_covered_month(year=year))
            .alias(not_before=COVERED_OR_NEVER)
            .filter(not_before__gt=month)
        )


@register
class InspectorTraining(Metric):
    code = "inspector_training"

    def inspectors(self, *, scope: Scope) -> QuerySet:
        if not scope.beyond_enterprises:
            return inspectors_in_post().none()
        if scope.department_id:
            return inspectors_in_post().filter(department_id=scope.department_id)
        return inspectors_in_post()

    def items(self, *, scope: Scope, year: int) -> list[Item]:
        rows = (
            self.inspectors(scope=scope)
            .annotate(covered=inspector_attended_month(year=year))
            .order_by()
            .values_list("department_id", "covered")
            .annotate(n=Count("pk"))
        )
        return [Item(department, None, None, covered, n) for department, covered, n in rows]

    def uncovered(self, *, scope: Scope, year: int, month: int) -> QuerySet:
        return (
            self.inspectors(scope=scope)
            .annotate(covered=inspector_attended_month(year=year))
            .alias(not_before=COVERED_OR_NEVER)
            .filter(not_before__gt=month)
        )


def criteria_held_month(year: int) -> Subquery:
    """For a department queryset: the month of its first criteria study session held in `year`
    by the deadline (31 December), or NULL."""
    held = criteria_sessions_held(year=year, deadline=datetime.date(year, 12, 31))
    return Subquery(
        held.filter(organiser_department=OuterRef("pk"))
        .order_by()
        .values("organiser_department")
        .annotate(first=Min("starts_at"))
        .annotate(month=ExtractMonth("first"))
        .values("month")[:1],
        output_field=IntegerField(),
    )


@register
class CriteriaStudy(Metric):
    code = "criteria_study"

    def units(self, *, scope: Scope) -> QuerySet:
        if not scope.beyond_enterprises:
            return member_units().none()
        if scope.department_id:
            return member_units().filter(pk=scope.department_id)
        return member_units()

    def items(self, *, scope: Scope, year: int) -> list[Item]:
        rows = (
            self.units(scope=scope)
            .annotate(covered=criteria_held_month(year))
            .order_by()
            .values_list("pk", "covered")
        )
        return [Item(pk, None, None, covered) for pk, covered in rows]

    def uncovered(self, *, scope: Scope, year: int, month: int) -> QuerySet:
        return (
            self.units(scope=scope)
            .annotate(covered=criteria_held_month(year))
            .alias(not_before=COVERED_OR_NEVER)
            .filter(not_before__gt=month)
        )

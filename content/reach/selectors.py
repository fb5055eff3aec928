"""Reads of the campaigns' reach, counted in the database. Only published campaign pages count:
Wagtail writes a page's activity rows when the page is published (drafts live in revisions)."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth

from content.models import CampaignActivity, CampaignFilmShowing, CampaignMediaReport, ReachKind


@dataclass(frozen=True)
class KindRow:
    kind: str
    label: str
    activities: int = 0
    participants: int = 0
    materials: int = 0
    showings: int = 0
    audience: int = 0

    @property
    def reached(self) -> int:
        """People reached: activity participants plus warning-film audiences."""
        return self.participants + self.audience


@dataclass(frozen=True)
class ReachTotals:
    rows: list[KindRow]
    media_reports: int

    def _sum(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.rows)

    @property
    def activities(self) -> int:
        return self._sum("activities")

    @property
    def participants(self) -> int:
        return self._sum("participants")

    @property
    def materials(self) -> int:
        return self._sum("materials")

    @property
    def showings(self) -> int:
        return self._sum("showings")

    @property
    def audience(self) -> int:
        return self._sum("audience")

    @property
    def reached(self) -> int:
        return self._sum("reached")

    @property
    def is_empty(self) -> bool:
        return not (self.activities or self.showings or self.media_reports)


def activities_live() -> QuerySet:
    """Activities of published campaign pages, each with the village it counts for (its own,
    else its enterprise's) as `reach_village_id`."""
    return CampaignActivity.objects.filter(page__live=True).annotate(
        reach_village_id=Coalesce("village_id", "enterprise__village_id")
    )


def showings_live() -> QuerySet:
    return CampaignFilmShowing.objects.filter(page__live=True).annotate(
        reach_village_id=F("village_id")
    )


def _scoped(activities: QuerySet, showings: QuerySet, scope) -> tuple[QuerySet, QuerySet]:
    """Narrow to a dashboard scope (reports.metrics.Scope): department = the organiser, village =
    where it went; an industry or enterprise scope keeps the activities in its enterprises."""
    if scope.department_id:
        activities = activities.filter(department_id=scope.department_id)
        showings = showings.filter(department_id=scope.department_id)
    if scope.village_id:
        activities = activities.filter(reach_village_id=scope.village_id)
        showings = showings.filter(reach_village_id=scope.village_id)
    if scope.industry_id or scope.enterprise_id:
        if scope.industry_id:
            activities = activities.filter(enterprise__industry_id=scope.industry_id)
        if scope.enterprise_id:
            activities = activities.filter(enterprise_id=scope.enterprise_id)
        showings = showings.none()
    return activities, showings


def _totals(activities: QuerySet, showings: QuerySet, media_reports: int) -> ReachTotals:
    """Per-kind figures of activities and showings, in one query (UNION ALL)."""
    zero = Value(0, output_field=IntegerField())
    activity_rows = (
        activities.annotate(source=Value("a"))
        .order_by()
        .values_list("kind", "source")
        .annotate(
            n=Count("pk"),
            people=Coalesce(Sum("participants"), zero),
            handed=Coalesce(Sum("materials"), zero),
        )
    )
    showing_rows = (
        showings.annotate(source=Value("f"))
        .order_by()
        .values_list("kind", "source")
        .annotate(n=Count("pk"), people=Coalesce(Sum("audience"), zero), handed=zero)
    )
    figures = {
        (kind, source): (n, people, handed)
        for kind, source, n, people, handed in activity_rows.union(showing_rows, all=True)
    }
    rows = []
    for kind in ReachKind:
        n, people, handed = figures.get((kind.value, "a"), (0, 0, 0))
        shows, audience, _ = figures.get((kind.value, "f"), (0, 0, 0))
        rows.append(
            KindRow(
                kind=kind.value,
                label=str(kind.label),
                activities=n,
                participants=people,
                materials=handed,
                showings=shows,
                audience=audience,
            )
        )
    return ReachTotals(rows=rows, media_reports=media_reports)


def campaign_totals(page) -> ReachTotals:
    """The totals a campaign page shows: per kind and overall (two queries)."""
    return _totals(
        CampaignActivity.objects.filter(page=page),
        CampaignFilmShowing.objects.filter(page=page),
        CampaignMediaReport.objects.filter(page=page).count(),
    )


def reach_year(*, scope, year: int, month: int = 12) -> ReachTotals:
    """Reach per kind in a dashboard scope, from January to the end of `month` of `year`."""
    end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    period = {"date__gte": datetime.date(year, 1, 1), "date__lte": end}
    activities, showings = _scoped(
        activities_live().filter(**period), showings_live().filter(**period), scope
    )
    media = 0
    if scope.is_town:
        media = CampaignMediaReport.objects.filter(page__live=True, **period).count()
    return _totals(activities, showings, media)


def reach_items(*, scope, year: int) -> list[tuple]:
    """(department id, village id, industry id, month, people) of the year's activities and
    showings in a scope, summed in the database (one query, UNION ALL): the reach metric's items."""
    zero = Value(0, output_field=IntegerField())
    activities, showings = _scoped(
        activities_live().filter(date__year=year), showings_live().filter(date__year=year), scope
    )
    activity_rows = (
        activities.annotate(month=ExtractMonth("date"), industry=F("enterprise__industry_id"))
        .order_by()
        .values_list("department_id", "reach_village_id", "industry", "month")
        .annotate(people=Coalesce(Sum("participants"), zero))
    )
    showing_rows = (
        showings.annotate(
            month=ExtractMonth("date"),
            industry=Value(None, output_field=IntegerField()),
        )
        .order_by()
        .values_list("department_id", "reach_village_id", "industry", "month")
        .annotate(people=Coalesce(Sum("audience"), zero))
    )
    return list(activity_rows.union(showing_rows, all=True))


def unit_month_activities(*, department_id=None, village_id=None, year: int, month: int):
    """A unit's activities and showings of a month, with their totals: a department's are those
    it organised, a village's those that went into it. (activities, showings, totals)"""
    activities = activities_live().filter(date__year=year, date__month=month)
    showings = showings_live().filter(date__year=year, date__month=month)
    if department_id:
        activities = activities.filter(department_id=department_id)
        showings = showings.filter(department_id=department_id)
    else:
        activities = activities.filter(reach_village_id=village_id)
        showings = showings.filter(reach_village_id=village_id)
    activities = activities.select_related("page", "enterprise").order_by("date", "pk")
    showings = showings.select_related("page").order_by("date", "pk")
    totals = _totals(activities, showings, 0)
    return list(activities), list(showings), totals

"""The month grid of planned and done drills a user follows, in two queries."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet

from directory.models import User
from training.drills.selectors.records import drill_plans_visible_to, drill_records_visible_to


@dataclass
class CalendarDay:
    day: datetime.date
    in_month: bool
    planned: list = field(default_factory=list)
    done: list = field(default_factory=list)


def drill_calendar(
    user: User, year: int, month: int, *, department_id: int | None = None
) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month, each day with the plans and records falling on it."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    days = {d: CalendarDay(day=d, in_month=d.month == month) for week in weeks for d in week}

    def narrowed(queryset: QuerySet) -> QuerySet:
        if department_id:
            queryset = queryset.filter(enterprise__lead_department_id=department_id)
        return queryset.select_related("enterprise").order_by("enterprise__name", "id")

    plans = narrowed(drill_plans_visible_to(user).filter(planned_date__range=(first, last)))
    for plan in plans:
        days[plan.planned_date].planned.append(plan)
    records = narrowed(drill_records_visible_to(user).filter(date__range=(first, last)))
    for record in records:
        days[record.date].done.append(record)
    return [[days[d] for d in week] for week in weeks]

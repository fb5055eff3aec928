"""When a principal's duty is due, done or overdue.

- The 五带头 checklist is owed once a year: done once the lead department has accepted that
  year's checklist; due during the year; overdue once the year is over without acceptance.
- The principal-led self-inspection is owed every quarter (每季度带队…至少开展1次检查): done when
  an inspection dated within the quarter is recorded; due while the quarter runs; overdue once it
  has ended without one; not yet due before it begins.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class DutyState(models.TextChoices):
    NOT_YET = "not_yet", _("Not yet due")
    DUE = "due", _("Due")
    DONE = "done", _("Done")
    OVERDUE = "overdue", _("Overdue")


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a quarter (1–4)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(quarter)
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = (
        datetime.date(year, 12, 31)
        if quarter == 4
        else datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)
    )
    return start, end


def quarter_state(*, year: int, quarter: int, inspected: bool, today: datetime.date) -> str:
    start, end = quarter_bounds(year, quarter)
    if inspected:
        return DutyState.DONE
    if today < start:
        return DutyState.NOT_YET
    return DutyState.OVERDUE if today > end else DutyState.DUE


def checklist_state(*, year: int, accepted: bool, today: datetime.date) -> str:
    if accepted:
        return DutyState.DONE
    if today < datetime.date(year, 1, 1):
        return DutyState.NOT_YET
    return DutyState.OVERDUE if today > datetime.date(year, 12, 31) else DutyState.DUE

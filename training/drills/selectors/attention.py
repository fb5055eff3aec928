"""Enterprises needing a drill: this year's duties due within 30 days or overdue, and early in a
year last year's missed ones — what the reminders are about and what officers follow.

Judged in Python per enterprise for the reminders (`drills_needing_attention`, every duty's
state), and in SQL for the back office (`AttentionRows`: counted and paged by the database from
each enterprise's earliest open deadline, training.drills.selectors.deadlines; only the page's
rows are judged in Python to show their duties). The two orders and counts are the same
(tests/training/drills/test_deadlines.py).
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet

from directory.models import Enterprise
from training.drills.selectors.deadlines import next_deadline
from training.drills.selectors.obligations import (
    DUE,
    OVERDUE,
    ObligationStatus,
    drill_obligation_status,
)

DUE_WINDOW_DAYS = 30
# Last year's missed drill is reminded, and listed, during the first quarter of the new year.
LAST_YEAR_UNTIL_MONTH = 3


@dataclass(frozen=True)
class Attention:
    """An enterprise needing a drill: which stage and by when."""

    obligation: ObligationStatus
    year: int

    @property
    def stage(self) -> str:
        half = "h1" if self.obligation.due_date.month == 6 else "year"
        return f"{self.obligation.status}-{half}"


def needs_attention(row: ObligationStatus, today: datetime.date) -> bool:
    if row.status == OVERDUE:
        return True
    return row.status == DUE and (row.due_date - today).days <= DUE_WINDOW_DAYS


def attention_years(today: datetime.date) -> list[int]:
    """The years whose drills are followed on `today`: last year's during the first quarter."""
    return [today.year - 1, today.year] if today.month <= LAST_YEAR_UNTIL_MONTH else [today.year]


def drills_needing_attention(
    enterprises: QuerySet[Enterprise], today: datetime.date
) -> list[Attention]:
    """This year's drills due within 30 days or overdue, and (early in a year) last year's."""
    found = []
    for year in attention_years(today):
        for row in drill_obligation_status(enterprises=enterprises, year=year, today=today):
            if needs_attention(row, today) and not (year < today.year and row.status != OVERDUE):
                found.append(Attention(obligation=row, year=year))
    return found


class AttentionRows:
    """The obligations needing attention among `enterprises`, overdue first, then by deadline and
    name — the order of the back office's list — as a sequence the paginator counts and slices:
    the database counts and orders the enterprises by their earliest open deadline, and only the
    rows of the page asked for are judged (drill_obligation_status) to show their duties."""

    def __init__(self, enterprises: QuerySet[Enterprise], today: datetime.date):
        self.today = today
        self.parts = [(year, self._needing(enterprises, year)) for year in attention_years(today)]

    def _needing(self, enterprises: QuerySet[Enterprise], year: int) -> QuerySet[Enterprise]:
        """The enterprises whose `year` needs attention: a deadline passed (last year's can only
        have), or this year's within the window; by deadline (overdue ones first) and name."""
        if year < self.today.year:
            limit = {"drill_due__lt": self.today}
        else:
            limit = {"drill_due__lte": self.today + datetime.timedelta(days=DUE_WINDOW_DAYS)}
        return (
            enterprises.annotate(drill_due=next_deadline(year, self.today, joined=True))
            .filter(**limit)
            .order_by("drill_due", "name", "pk")
        )

    @cached_property
    def counts(self) -> list[int]:
        return [needing.count() for _year, needing in self.parts]

    def __len__(self) -> int:
        return sum(self.counts)

    def count(self) -> int:
        return len(self)

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        start, stop, _step = item.indices(len(self))
        rows = []
        for (year, needing), count in zip(self.parts, self.counts, strict=True):
            if start < count and stop > 0:
                rows += self._judged(year, needing[max(start, 0) : min(stop, count)])
            start, stop = start - count, stop - count
        return rows

    def __iter__(self):
        return iter(self[:])

    def _judged(self, year: int, page: QuerySet[Enterprise]) -> list[ObligationStatus]:
        ids = list(page.values_list("pk", flat=True))
        judged = {
            row.enterprise_id: row
            for row in drill_obligation_status(
                enterprises=Enterprise.objects.filter(pk__in=ids), year=year, today=self.today
            )
        }
        return [judged[pk] for pk in ids]


def drill_attention_count(enterprises: QuerySet[Enterprise], today: datetime.date) -> int:
    """How many obligations need attention among `enterprises` (the length of the list)."""
    return len(AttentionRows(enterprises, today))

"""The drill obligation's state as SQL over Enterprise, for the lists and counts that must answer
over a district's 25,000 enterprises without judging each in Python: each duty's open deadline,
the enterprise's earliest one (NULL: every duty done) and whether it drilled at all, as of a day.

The same rules as training.drills.selectors.obligations (its `_state` / `_overall` per duty and
overall), in their SQL forms (training.drills.rules.duty_applies_q, duty_half_yearly_q,
record_meets_q); tests/training/drills/test_deadlines.py holds the two together on random towns.
A duty is open from the deadline of its first half (30 June) while the half has no counted drill
meeting it, then from the year's (31 December): the state as of `today` follows from the date
alone — overdue when the deadline has passed, due otherwise. Each expression costs index lookups
on the enterprise's drill records (enterprise, date), evaluated by the database; or, `joined`,
an aggregate over the records joined to the enterprise (the query grouped by enterprise).
"""

import datetime

from django.db.models import Case, Count, DateField, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, Least, NullIf
from django.db.models.lookups import GreaterThan

from training.drills.models.records import DrillRecord
from training.drills.rules import (
    DrillDuty,
    duty_applies_q,
    duty_half_yearly_q,
    first_half_deadline,
    record_meets_q,
    year_deadline,
)
from training.drills.selectors.obligations import COUNTING_STATUSES

# Stands for "no deadline" inside LEAST (SQLite's LEAST is NULL when any argument is).
NO_DEADLINE = datetime.date(9999, 12, 31)


def _counted(start: datetime.date, end: datetime.date, duty: str | None = None) -> Exists:
    """The enterprise has a counted drill record between two days (meeting `duty`)."""
    records = DrillRecord.objects.filter(
        enterprise=OuterRef("pk"),
        date__gte=start,
        date__lte=end,
        review_status__in=COUNTING_STATUSES,
    )
    return Exists(records.filter(record_meets_q(duty)) if duty else records)


def _counted_joined(start: datetime.date, end: datetime.date, duty: str | None = None):
    """`_counted` as an aggregate over the enterprise's drill records joined to it: the query
    groups by enterprise and the database reads the year's records once (a hash join) rather
    than probing the index once per enterprise and duty — the faster form for a count or a page
    over thousands of enterprises; it cannot be summed further by unit (see coverage)."""
    counted = Q(
        drill_records__date__gte=start,
        drill_records__date__lte=end,
        drill_records__review_status__in=COUNTING_STATUSES,
        drill_records__archived_at__isnull=True,
    )
    if duty:
        counted &= record_meets_q(duty, "drill_records__")
    return GreaterThan(Count("drill_records", filter=counted), 0)


def drilled(year: int, today: datetime.date) -> Exists:
    """At least one counted drill of any kind in `year` up to `today` (ObligationStatus.drilled)."""
    return _counted(datetime.date(year, 1, 1), min(year_deadline(year), today))


def duty_deadline(duty: str, year: int, today: datetime.date, *, joined: bool = False) -> Case:
    """The deadline from which `duty` is open in `year` as of `today` (DutyState.due_date), NULL
    when it is done or not owed; `joined`: from the records joined to the enterprise."""
    counted = _counted_joined if joined else _counted
    first_half = counted(datetime.date(year, 1, 1), min(first_half_deadline(year), today), duty)
    second_half = counted(datetime.date(year, 7, 1), min(year_deadline(year), today), duty)
    whole_year = counted(datetime.date(year, 1, 1), min(year_deadline(year), today), duty)
    owed = duty_applies_q(duty)
    first, last = Value(first_half_deadline(year)), Value(year_deadline(year))
    return Case(
        When(~owed, then=Value(None)),
        When(owed & duty_half_yearly_q(duty) & ~first_half, then=first),
        When(owed & duty_half_yearly_q(duty) & ~second_half, then=last),
        When(owed & duty_half_yearly_q(duty), then=Value(None)),
        When(~whole_year, then=last),
        default=Value(None),
        output_field=DateField(),
    )


def next_deadline(year: int, today: datetime.date, *, joined: bool = False) -> NullIf:
    """The earliest deadline of the enterprise's open duties in `year` as of `today`
    (ObligationStatus.due_date), NULL when every duty it owes is done; `joined`: an aggregate
    over the records joined to the enterprise (the query is grouped by enterprise)."""
    earliest = Least(
        *(
            Coalesce(duty_deadline(duty, year, today, joined=joined), Value(NO_DEADLINE))
            for duty in DrillDuty.values
        ),
        output_field=DateField(),
    )
    return NullIf(earliest, Value(NO_DEADLINE), output_field=DateField())

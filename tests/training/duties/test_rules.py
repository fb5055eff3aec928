"""Due / done / overdue of the principals' two duties."""

import datetime

import pytest

from training.duties.rules import (
    DutyState,
    checklist_state,
    quarter_bounds,
    quarter_of,
    quarter_state,
)


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (1, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        (2, datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
        (3, datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        (4, datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
    ],
)
def test_quarter_bounds(quarter, start, end):
    assert quarter_bounds(2026, quarter) == (start, end)
    assert quarter_of(start) == quarter_of(end) == quarter


def test_quarter_bounds_refuses_a_fifth_quarter():
    with pytest.raises(ValueError):
        quarter_bounds(2026, 5)


@pytest.mark.parametrize(
    ("today", "inspected", "state"),
    [
        (datetime.date(2026, 3, 31), False, DutyState.DUE),  # last day of the quarter
        (datetime.date(2026, 4, 1), False, DutyState.OVERDUE),  # the day after
        (datetime.date(2026, 4, 1), True, DutyState.DONE),
        (datetime.date(2025, 12, 31), False, DutyState.NOT_YET),
        (datetime.date(2026, 1, 1), True, DutyState.DONE),
    ],
)
def test_quarter_state(today, inspected, state):
    assert quarter_state(year=2026, quarter=1, inspected=inspected, today=today) == state


@pytest.mark.parametrize(
    ("today", "accepted", "state"),
    [
        (datetime.date(2026, 6, 1), False, DutyState.DUE),
        (datetime.date(2026, 12, 31), False, DutyState.DUE),
        (datetime.date(2027, 1, 1), False, DutyState.OVERDUE),
        (datetime.date(2027, 1, 1), True, DutyState.DONE),
        (datetime.date(2025, 12, 1), False, DutyState.NOT_YET),
    ],
)
def test_checklist_state(today, accepted, state):
    assert checklist_state(year=2026, accepted=accepted, today=today) == state

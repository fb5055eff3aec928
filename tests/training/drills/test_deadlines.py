"""The drill obligation's SQL form (training.drills.selectors.deadlines) against its judgement in
Python (training.drills.selectors.obligations), enterprise by enterprise, on random towns and on
the days where the states turn: the open deadlines, the attention list the officers page through
(AttentionRows) and its count on their home, and the drill coverage screen's figures."""

import datetime
import random

import pytest
from django.utils import timezone

from directory.models import Enterprise
from tests.factories import EnterpriseFactory
from tests.reports.test_drill_parity import random_town
from training.drills.models.records import DrillRecord
from training.drills.rules import DrillDuty
from training.drills.selectors.attention import (
    AttentionRows,
    drill_attention_count,
    drills_needing_attention,
)
from training.drills.selectors.coverage import FIGURES, drill_coverage, figure_met
from training.drills.selectors.deadlines import drilled, duty_deadline, next_deadline
from training.drills.selectors.obligations import OVERDUE, drill_obligation_status

YEAR = 2026
# New year's day, the last day last year's drills are followed and the next, a month before
# the half-year deadline, the deadline and the day after, the year's last month and day.
DAYS = [
    datetime.date(YEAR, month, day)
    for month, day in ((1, 1), (3, 31), (4, 1), (5, 31), (6, 30), (7, 1), (12, 1), (12, 31))
]


@pytest.fixture(params=[1, 2, 3])
def town(db, request):
    """A random town, some of its drill records archived (withdrawn from every figure)."""
    rng = random.Random(request.param)
    random_town(rng)
    records = list(DrillRecord.objects.values_list("pk", flat=True))
    archived = rng.sample(records, len(records) // 5)
    DrillRecord.objects.filter(pk__in=archived).update(archived_at=timezone.now())
    return Enterprise.objects.all()


def test_each_enterprises_deadlines_are_its_judged_ones(town):
    for today in DAYS:
        for year in (YEAR - 1, YEAR):
            judged = {
                row.enterprise_id: row
                for row in drill_obligation_status(enterprises=town, year=year, today=today)
            }
            sql = town.annotate(
                due=next_deadline(year, today),
                held=drilled(year, today),
                **{f"d_{duty}": duty_deadline(duty, year, today) for duty in DrillDuty.values},
            )
            assert len(sql) == len(judged)
            for enterprise in sql:
                row = judged[enterprise.pk]
                assert enterprise.due == row.due_date, (today, year, enterprise.pk)
                assert enterprise.held == row.drilled
                for duty in DrillDuty.values:
                    state = row.duties.get(duty)
                    open_since = state.due_date if state and state.status != "done" else None
                    assert getattr(enterprise, f"d_{duty}") == open_since, (today, duty)


def _key(row):
    return (row.enterprise_id, row.status, row.due_date)


def test_the_attention_list_is_the_reminders_list_in_its_order(town):
    for today in DAYS:
        judged = drills_needing_attention(town, today)
        expected = sorted(
            (item.obligation for item in judged),
            key=lambda row: (row.status != OVERDUE, row.due_date, row.enterprise_name),
        )
        rows = AttentionRows(town, today)
        assert len(rows) == drill_attention_count(town, today) == len(expected)
        listed = list(rows)
        assert sorted(map(_key, listed)) == sorted(map(_key, expected)), today
        # Overdue first, then by deadline; ties in the database's order of names.
        assert [(r.status, r.due_date) for r in listed] == [
            (r.status, r.due_date) for r in expected
        ]
        # Pages of any size, across the two years of the first quarter, give the same rows.
        for size in (1, 3, 7):
            paged = [
                row for start in range(0, len(rows), size) for row in rows[start : start + size]
            ]
            assert list(map(_key, paged)) == list(map(_key, listed))
        if listed:
            assert _key(rows[len(rows) - 1]) == _key(listed[-1])


def test_the_first_quarter_lists_last_years_missed_drills_first(db):
    enterprise = EnterpriseFactory()
    rows = AttentionRows(Enterprise.objects.all(), datetime.date(YEAR, 3, 31))
    # Nothing drilled: last year's duties are overdue, this year's not yet due within 30 days.
    assert [(r.enterprise_id, r.status, r.due_date) for r in rows] == [
        (enterprise.pk, OVERDUE, datetime.date(YEAR - 1, 12, 31))
    ]
    assert len(AttentionRows(Enterprise.objects.all(), datetime.date(YEAR, 4, 1))) == 0
    assert len(AttentionRows(Enterprise.objects.all(), datetime.date(YEAR, 12, 1))) == 1


def test_the_coverage_screen_counts_what_the_obligations_judge(town):
    active = town.filter(status="active")
    for today in DAYS:
        coverage = drill_coverage(enterprises=active, year=YEAR, today=today)
        rows = drill_obligation_status(enterprises=active, year=YEAR, today=today)
        units = {e.pk: e for e in active}
        assert coverage.town.active == len(rows)
        for code in FIGURES:
            met = [row for row in rows if figure_met(code, row)]
            assert coverage.town.met[code] == len(met), (today, code)
            for name, field in (
                ("department", "lead_department_id"),
                ("village", "village_id"),
                ("industry", "industry_id"),
            ):
                for unit in coverage.by[name]:
                    inside = [r for r in met if getattr(units[r.enterprise_id], field) == unit.key]
                    assert unit.met[code] == len(inside), (today, code, name)

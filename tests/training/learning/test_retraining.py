"""《生产经营单位安全培训规定》第十七条: a person moved to another post (or back after a year or
more away) is trained again at workshop and team level; the duty shows in their requirement
status until ledger entries of both levels, dated from the move, are recorded."""

import datetime
from decimal import Decimal

import pytest

from directory.models import Person, Post
from directory.services import person_update
from tests.factories import PersonFactory
from training.learning.models.ledger import TrainingLevel
from training.learning.selectors.requirements import requirement_status
from training.learning.services.ledger import ledger_history_record

D = datetime.date
TODAY = D(2026, 11, 28)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.UTC))


def status_of(person):
    (status,) = requirement_status(people=Person.objects.filter(pk=person.pk), year=2026)
    return status


def entry(accounts, person, level, day):
    from directory.constants import AccountRole

    ledger_history_record(
        user=accounts[AccountRole.TOWN_OFFICE],
        person=person,
        training_name=f"{TrainingLevel(level).label}安全培训",
        hours=Decimal("4"),
        date=day,
        level=level,
    )


def test_a_transfer_creates_the_workshop_and_team_duty_met_by_such_entries(accounts, town):
    person = PersonFactory(
        employer=town["ent_a"],
        is_special_operator=True,
        hire_date=D(2020, 3, 1),
        work_post=Post.objects.get(name="焊工"),
    )
    assert status_of(person).retraining is None
    person_update(person=person, user=None, values={"work_post": Post.objects.get(name="电工")})
    duty = status_of(person).retraining
    assert duty.since == TODAY
    assert duty.missing == (TrainingLevel.WORKSHOP, TrainingLevel.TEAM)
    assert status_of(person).retraining_label == "自2026-11-28起须重新培训，尚缺车间级、班组级培训"
    # A workshop entry from before the move is not for this post.
    entry(accounts, person, TrainingLevel.WORKSHOP, D(2026, 11, 1))
    entry(accounts, person, TrainingLevel.TEAM, TODAY)
    assert status_of(person).retraining.missing == (TrainingLevel.WORKSHOP,)
    entry(accounts, person, TrainingLevel.WORKSHOP, TODAY)
    assert status_of(person).retraining.met
    assert status_of(person).retraining_label == ""


def test_a_return_after_a_year_away_dated_by_the_officer_makes_it_due(town):
    """An officer records the return by setting the post date; the same duty applies."""
    person = PersonFactory(employer=town["ent_a"], hire_date=D(2018, 1, 1))
    person_update(person=person, user=None, values={"post_since": D(2026, 10, 1)})
    assert status_of(person).retraining.since == D(2026, 10, 1)

"""`required_hours_expression` (one SQL CASE, for the dashboards) requires of each person exactly
what `requirement_status` (the Python rule behind the learners' and managers' lists) does."""

import datetime
import io

import pytest
from django.core.management import call_command

from directory.models import Person
from training.learning.selectors.requirements import required_hours_expression, requirement_status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year_offset", [0, -1])
def test_sql_requirement_agrees_with_the_python_rule_for_every_person(year_offset):
    call_command("seed_scale", scale="tiny", stdout=io.StringIO())
    today = datetime.date.today()
    year = today.year + year_offset
    people = Person.objects.all()
    # Variety the rule branches on: new hires, moves, non-regular staff, people not in post.
    Person.objects.filter(pk__in=people.values("pk")[:15]).update(
        hire_date=datetime.date(year, 3, 1)
    )
    Person.objects.filter(pk__in=people.order_by("-pk").values("pk")[:15]).update(
        post_since=datetime.date(year, 5, 1)
    )
    Person.objects.filter(pk__in=people.order_by("name").values("pk")[:10]).update(status="left")
    expected = {
        s.person_id: s.required for s in requirement_status(people=people, year=year, today=today)
    }
    computed = dict(
        people.annotate(required=required_hours_expression(year=year)).values_list("pk", "required")
    )
    assert computed == expected
    assert len(set(expected.values())) >= 4  # several rules, and "not due" (0), are exercised

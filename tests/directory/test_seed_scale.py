"""`seed_scale`: a deterministic dataset through bulk paths, refusing a database already in use."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from certificates.models import RegisteredCertificate
from directory.identifiers import credit_code_validate, id_number_validate
from directory.models import Enterprise, Person
from directory.scale import SCALES
from training.models import Attempt, DrillRecord, StudyHourEntry

pytestmark = pytest.mark.django_db


def _seed():
    out = io.StringIO()
    call_command("seed_scale", scale="tiny", stdout=out)
    return out.getvalue()


def _snapshot():
    return (
        list(
            Enterprise.objects.order_by("credit_code").values_list(
                "credit_code", "name", "headcount"
            )
        ),
        list(
            Person.objects.order_by("id_number").values_list(
                "id_number", "name", "employer__credit_code"
            )
        ),
    )


def test_tiny_scale_builds_a_valid_registry():
    output = _seed()
    tiny = SCALES["tiny"]
    assert Enterprise.objects.count() == tiny.enterprises
    people = Person.objects.count()
    assert tiny.people <= people <= tiny.people + 12
    assert Person.objects.filter(is_inspector=True).count() == tiny.inspectors
    # Every enterprise has its principal linked, and headcount is its roster.
    assert not Enterprise.objects.filter(principal__isnull=True).exists()
    for enterprise in Enterprise.objects.all()[:10]:
        assert enterprise.headcount == enterprise.people.count()
        assert enterprise.principal.employer_id == enterprise.pk
    for person in Person.objects.all()[:50]:
        id_number_validate(person.id_number)
        assert person.birth_date and person.sex
    for code in Enterprise.objects.values_list("credit_code", flat=True)[:50]:
        credit_code_validate(code)
    assert "seed_scale tiny" in output


def test_same_scale_same_data_and_a_used_database_is_refused():
    _seed()
    first = _snapshot()
    with pytest.raises(CommandError):
        _seed()
    # The apps' records first: they protect the people and enterprises they belong to.
    # Deleted as in 2100, past every retention period (regulations.md §7, directory.retention).
    with time_machine.travel(datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC), tick=False):
        for model in (
            StudyHourEntry,
            Attempt,
            RegisteredCertificate,
            DrillRecord,
            Person,
            Enterprise,
        ):
            model.objects.all().delete()
    _seed()
    assert _snapshot() == first

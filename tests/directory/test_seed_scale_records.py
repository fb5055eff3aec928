"""`seed_scale`'s records beyond the registry: ledger rows, exam attempts, registered certificates
and drill records, in the scale's numbers, with spreads a dashboard can tell apart, the same on
every run."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.utils import timezone

from certificates.models import RegisteredCertificate
from certificates.selectors.registry import status_expression
from directory.models import Enterprise, Person
from directory.scale import SCALES
from training.drills.rules import MAY_EVACUATE_SCENARIOS
from training.models import Attempt, DrillRecord, StudyHourEntry

pytestmark = pytest.mark.django_db
TINY = SCALES["tiny"]


def _seed():
    out = io.StringIO()
    call_command("seed_scale", scale="tiny", stdout=out)
    return out.getvalue()


def _records():
    return (
        list(
            StudyHourEntry.objects.order_by(
                "person__id_number", "date", "hours", "source", "training_name"
            ).values_list("person__id_number", "date", "hours", "source", "training_name")
        ),
        list(
            Attempt.objects.order_by("person__id_number", "exam__title", "number").values_list(
                "person__id_number", "exam__title", "number", "score", "passed"
            )
        ),
        list(
            RegisteredCertificate.objects.order_by("number").values_list(
                "number", "person__id_number", "certificate_type__code", "first_issued_on"
            )
        ),
        list(
            DrillRecord.objects.order_by(
                "enterprise__credit_code", "date", "alarm_time"
            ).values_list("enterprise__credit_code", "date", "review_status", "evacuated")
        ),
    )


def test_tiny_scale_writes_each_kind_of_record_in_its_number():
    output = _seed()
    assert StudyHourEntry.objects.count() == TINY.ledger_rows
    assert Attempt.objects.count() == TINY.attempts
    assert RegisteredCertificate.objects.count() == TINY.certificates
    assert DrillRecord.objects.count() == TINY.drills
    assert "2,000 ledger rows" in output and "100 registered certificates" in output


def test_records_are_spread_so_figures_differ():
    _seed()
    year = timezone.localdate().year
    # Some people have no hours; this year's and last year's hours both present.
    assert Person.objects.filter(study_hours__isnull=True).exists()
    years = {d.year for d in StudyHourEntry.objects.values_list("date", flat=True)}
    assert years == {year - 1, year}
    months = StudyHourEntry.objects.filter(date__year=year).dates("date", "month")
    assert len(months) >= min(6, timezone.localdate().month)
    # Attempts both pass and fail, with their scores.
    passed = dict(Attempt.objects.values_list("passed").annotate(n=Count("pk")))
    assert passed.get(True) and passed.get(False)
    assert not Attempt.objects.filter(score__isnull=True).exists()
    # Certificates in several statuses (valid, expired or overdue...), held by special operators.
    statuses = set(
        RegisteredCertificate.objects.annotate(s=status_expression(timezone.localdate()))
        .values_list("s", flat=True)
        .distinct()
    )
    assert len(statuses) >= 3
    assert RegisteredCertificate.objects.filter(person__is_special_operator=True).exists()
    # Some enterprises never drilled; some drill records are not counted yet.
    assert Enterprise.objects.filter(drill_records__isnull=True).exists()
    assert DrillRecord.objects.filter(review_status="more_information").exists()
    # Each record meets the duties its kind can (rules.record_duties): the fire drills are
    # evacuation and fire drills (公安部61号令 第四十条), a rescue never evacuates.
    for record in DrillRecord.objects.all():
        before = record.duties
        record.settle_duties()
        assert record.duties == before
    assert DrillRecord.objects.filter(meets_fire=True, meets_evacuation=True).exists()
    may_evacuate = DrillRecord.objects.filter(scenario__in=MAY_EVACUATE_SCENARIOS)
    assert {r.meets_evacuation for r in may_evacuate} == {True, False}
    assert StudyHourEntry.objects.aggregate(h=Sum("hours"))["h"] > 0


def test_two_runs_write_the_same_records_and_a_used_database_is_refused():
    _seed()
    first = _records()
    with pytest.raises(CommandError):
        _seed()
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
    assert _records() == first


def test_spread_gives_an_exact_total_and_nothing_to_weightless_owners():
    from directory.scale_load import seeded, spread

    counts = spread(seeded("t", "x"), [0, 1, 2.5, 0, 0.3], 1000)
    assert sum(counts) == 1000 and counts[0] == counts[3] == 0
    assert counts[2] > counts[1] > counts[4]
    assert spread(seeded("t", "x"), [0, 1, 2.5, 0, 0.3], 1000) == counts
    assert spread(seeded("t", "x"), [0, 0], 5) == [0, 0]

"""The demo drills: seeded with the demo town, valid, deterministic in size, written once."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from directory.models import Enterprise, User
from training.drills.demo import drills_seed
from training.drills.selectors.follow_up import corrective_actions_overdue
from training.drills.selectors.obligations import drill_obligation_status
from training.models import CorrectiveAction, DrillObservation, DrillPlan, DrillRecord

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_valid_drills_once():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Drills:" in out.getvalue()
    counts = (DrillPlan.objects.count(), DrillRecord.objects.count())
    assert counts[0] > 50 and counts[1] > 50
    for record in DrillRecord.objects.all():
        record.full_clean()

    manager = User.objects.get(username="manager")
    record = DrillRecord.objects.get(enterprise=manager.enterprise, recorded_by=manager)
    assert CorrectiveAction.objects.filter(record=record).count() == 2
    assert DrillObservation.objects.filter(record=record).exists()
    assert corrective_actions_overdue(manager, timezone.localdate()).count() == 1

    today = timezone.localdate()
    statuses = drill_obligation_status(
        enterprises=Enterprise.objects.all(), year=today.year, today=today
    )
    assert any(row.drilled for row in statuses)

    assert drills_seed() == 0
    call_command("seed_demo", stdout=io.StringIO())
    assert (DrillPlan.objects.count(), DrillRecord.objects.count()) == counts

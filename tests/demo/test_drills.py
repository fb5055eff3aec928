"""The demo drills: seeded with the demo town, valid, deterministic in size, written once."""

import pytest
from django.utils import timezone

from directory.models import Enterprise, User
from training.drills.demo import drills_seed
from training.drills.rules import drill_duties
from training.drills.selectors.follow_up import corrective_actions_overdue
from training.drills.selectors.obligations import drill_obligation_status
from training.models import (
    CorrectiveAction,
    DrillObservation,
    DrillParticipant,
    DrillPlan,
    DrillRecord,
    ParticipantSource,
)

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_valid_drills(demo_town):
    assert "Drills:" in demo_town
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
    assert {row.status for row in statuses} >= {"done"}

    stories = dict(
        line.strip().removeprefix("drill duties story (").split("): ")
        for line in demo_town.splitlines()
        if line.strip().startswith("drill duties story (")
    )
    assert set(stories) == {"general", "fire_key_unit", "hotel"}
    year_records = DrillRecord.objects.filter(date__year=today.year)

    # Its only drill: a gas leak of the on-site plan; the evacuation drill is still owed
    # (徐泾镇三年行动方案 第21条).
    (only,) = year_records.filter(enterprise__name=stories["general"])
    assert (only.scenario, only.duties) == ("gas_leak", {"on_site"})

    # 公安部61号令 第四十条: a fire key unit drills each half; this one only in the first.
    key_unit = Enterprise.objects.get(name=stories["fire_key_unit"])
    assert key_unit.is_fire_key_unit
    (fire,) = year_records.filter(enterprise=key_unit)
    assert fire.date.month <= 6 and "fire" in fire.duties

    # 《生产安全事故应急条例》第八条: the hotel's plan duty is half-yearly.
    hotel = Enterprise.objects.select_related("industry").get(name=stories["hotel"])
    hotel.keeps_on_site_plan = False
    assert drill_duties(hotel)["plan"].per_year == 2
    assert all("plan" in r.duties for r in year_records.filter(enterprise=hotel))

    assert drills_seed() == 0
    assert (DrillPlan.objects.count(), DrillRecord.objects.count()) == counts


def test_the_demo_lists_drill_participants(demo_town):
    assert DrillParticipant.objects.filter(source=ParticipantSource.SIGN_IN_SHEET).exists()
    assert all(
        p.person.employer_id == p.record.enterprise_id
        for p in DrillParticipant.objects.select_related("person", "record")
    )

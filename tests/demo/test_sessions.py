"""seed_demo's sessions: a confirmed past session crediting hours, an upcoming one, this year's
principals' and inspectors' trainings held so far, once only."""

import pytest
from django.urls import reverse

from directory.models import User
from training.models import HourSource, StudyHourEntry, TrainingSession
from training.sessions.demo import PAST_TITLE, UPCOMING_TITLE
from training.sessions.models.sessions import ATTENDED, SessionKind

pytestmark = pytest.mark.django_db


def test_demo_sessions_are_held_and_credited(client, demo_town):
    past = TrainingSession.objects.get(title=PAST_TITLE)
    assert past.confirmed_at is not None
    credited = StudyHourEntry.objects.filter(source=HourSource.OFFLINE_SESSION)
    assert credited.filter(training_name=PAST_TITLE).exists()
    assert (
        credited.filter(training_name=PAST_TITLE).count()
        == past.attendances.filter(ledger_entry__isnull=False).count()
    )
    # This year's trainings held: confirmed, each attendee's hours credited through the ledger.
    held = TrainingSession.objects.filter(kind__in=[SessionKind.PRINCIPAL, SessionKind.INSPECTORS])
    held = held.exclude(title=UPCOMING_TITLE)
    assert held.filter(kind=SessionKind.PRINCIPAL).exists()
    assert held.filter(kind=SessionKind.INSPECTORS).exists()
    for session in held:
        assert session.confirmed_at is not None
        attended = session.attendances.filter(status__in=ATTENDED)
        assert attended.exists()
        assert attended.filter(ledger_entry__isnull=True).count() == 0
    upcoming = TrainingSession.objects.get(title=UPCOMING_TITLE)
    assert upcoming.attendances.exists() and upcoming.confirmed_at is None

    client.force_login(User.objects.get(username="learner"))
    assert PAST_TITLE in client.get(reverse("sessions:mine")).content.decode()

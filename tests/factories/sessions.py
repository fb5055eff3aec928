"""Factories for offline training sessions and their rosters."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from directory.constants import AccountRole
from tests.factories.directory import PersonFactory, UserFactory
from training.models import Attendance, SessionKind, TrainingSession

__all__ = ["SESSION_START", "AttendanceFactory", "TrainingSessionFactory"]

# A Tuesday morning in May 2026, local time.
SESSION_START = timezone.make_aware(datetime.datetime(2026, 5, 12, 9, 0))


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    """A three-hour principals' session organised by the town (set `organiser_department` or
    `organiser_enterprise` for a unit's); `invitees=[person, …]` puts people on its roster."""

    class Meta:
        model = TrainingSession
        skip_postgeneration_save = True

    kind = SessionKind.PRINCIPAL
    title = factory.Sequence(lambda n: f"培训班{n}")
    starts_at = SESSION_START
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    place = "镇政府三楼会议室"
    hours = Decimal("4.0")
    created_by = factory.SubFactory(UserFactory, role=AccountRole.TOWN_OFFICE)

    @factory.post_generation
    def invitees(session, create, people, **kwargs):
        for person in people or ():
            AttendanceFactory(session=session, person=person)


class AttendanceFactory(factory.django.DjangoModelFactory):
    """A person invited to a session (status "invited" until marked)."""

    class Meta:
        model = Attendance

    session = factory.SubFactory(TrainingSessionFactory)
    person = factory.SubFactory(PersonFactory)

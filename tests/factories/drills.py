"""Factories for drills: records as an enterprise enters them, and what follows a record."""

import datetime

import factory

from directory.constants import AccountRole
from tests.factories.directory import EnterpriseFactory, UserFactory
from training.models import (
    CorrectiveAction,
    DrillEvidence,
    DrillObservation,
    DrillProfile,
    DrillRecord,
    EvidenceKind,
    ReviewStatus,
)

__all__ = [
    "CorrectiveActionFactory",
    "DrillEvidenceFactory",
    "DrillObservationFactory",
    "DrillProfileFactory",
    "DrillRecordFactory",
]


class DrillRecordFactory(factory.django.DjangoModelFactory):
    """A fire evacuation drill on 1 April 2026 waiting for review: 38 of 40 out in 4½ minutes."""

    class Meta:
        model = DrillRecord

    enterprise = factory.SubFactory(EnterpriseFactory)
    date = datetime.date(2026, 4, 1)
    scenario = "fire_evacuation"
    plan_type = "comprehensive"
    alarm_time = datetime.time(14, 0)
    all_clear_time = datetime.time(14, 4, 30)
    headcount = 40
    evacuated = 38
    review_status = ReviewStatus.SUBMITTED


class DrillProfileFactory(factory.django.DjangoModelFactory):
    """An enterprise declaring it keeps an on-site disposal plan."""

    class Meta:
        model = DrillProfile

    enterprise = factory.SubFactory(EnterpriseFactory)
    keeps_on_site_plan = True


class DrillEvidenceFactory(factory.django.DjangoModelFactory):
    """A real JPEG photo attached to a record, in the private evidence storage."""

    class Meta:
        model = DrillEvidence

    record = factory.SubFactory(DrillRecordFactory)
    kind = EvidenceKind.PHOTO
    original_name = "现场.jpg"
    file = factory.django.ImageField(filename="photo.jpg", width=64, height=48, color="red")
    content_type = "image/jpeg"
    size = factory.LazyAttribute(lambda o: o.file.size)


class CorrectiveActionFactory(factory.django.DjangoModelFactory):
    """An open action for a problem a drill found, owned by 张三, due 1 May 2026."""

    class Meta:
        model = CorrectiveAction

    record = factory.SubFactory(DrillRecordFactory)
    problem = "安全出口被堵"
    owner = "张三"
    due_date = datetime.date(2026, 5, 1)


class DrillObservationFactory(factory.django.DjangoModelFactory):
    """A town officer's note of what they saw two minutes into the drill."""

    class Meta:
        model = DrillObservation

    record = factory.SubFactory(DrillRecordFactory)
    observer = factory.SubFactory(UserFactory, role=AccountRole.TOWN_OFFICE)
    observer_name = factory.LazyAttribute(
        lambda o: o.observer.get_full_name() or o.observer.username
    )
    observed_at = datetime.datetime(2026, 4, 1, 14, 2, tzinfo=datetime.UTC)
    note = "疏散有序"

"""Factories for the study-hours ledger and lesson progress."""

import datetime
from decimal import Decimal

import factory

from tests.factories.directory import PersonFactory
from training.models import HourSource, LessonProgress, StudyHourEntry

__all__ = ["LessonProgressFactory", "StudyHourEntryFactory"]


class StudyHourEntryFactory(factory.django.DjangoModelFactory):
    """Four hours of imported training history (the platform's records from before it)."""

    class Meta:
        model = StudyHourEntry

    person = factory.SubFactory(PersonFactory)
    source = HourSource.IMPORTED
    hours = Decimal("4")
    date = datetime.date(2026, 1, 1)
    training_name = factory.Sequence(lambda n: f"培训{n}")


class LessonProgressFactory(factory.django.DjangoModelFactory):
    """Where a person is in a lesson (pass `lesson=`: lessons live in a course's page tree)."""

    class Meta:
        model = LessonProgress

    person = factory.SubFactory(PersonFactory)
    lesson = None

"""Reads of drill participants: a record's list, and the drills a person took part in."""

from django.db.models import QuerySet

from directory.models import Person
from training.drills.models.participants import DrillParticipant
from training.drills.models.records import DrillRecord


def drill_participants(record: DrillRecord) -> QuerySet[DrillParticipant]:
    """The record's list by name, with each person's employer for the ID and the unit shown."""
    return record.participants.select_related("person", "added_by").order_by("person__name", "pk")


def drills_participated_by(person: Person) -> QuerySet[DrillParticipant]:
    """The drills a person took part in, where a record names them, oldest first, with the record
    and its enterprise (一人一档); archived records are left out as from every list and figure."""
    return (
        DrillParticipant.objects.filter(person=person, record__archived_at__isnull=True)
        .select_related("record__enterprise")
        .order_by("record__date", "record__alarm_time", "record__pk")
    )

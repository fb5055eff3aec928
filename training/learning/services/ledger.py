"""Writes to the study-hours ledger other than online lessons: history entered by hand."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from directory.models import Person, User
from directory.permissions import role_may
from directory.selectors import people_editable_by
from training.learning.models.ledger import HourSource, StudyHourEntry, TrainingTopic


@transaction.atomic
def ledger_history_record(
    *,
    user: User,
    person: Person,
    training_name: str,
    hours: Decimal,
    date: datetime.date,
    training_type: str = "",
    organisation: str = "",
    level: str = "",
    topic: str = TrainingTopic.GENERAL,
) -> StudyHourEntry:
    """A past training the user vouches for (the same row an import of history would write)."""
    if not role_may(user, StudyHourEntry, "add") or not (
        people_editable_by(user).filter(pk=person.pk).exists()
    ):
        raise PermissionDenied(_("You may not record hours for this person."))
    entry = StudyHourEntry(
        person=person,
        source=HourSource.IMPORTED,
        training_name=training_name,
        training_type=training_type,
        organisation=organisation,
        level=level,
        topic=topic,
        hours=hours,
        date=date,
        confirmed_by=user,
    )
    entry.full_clean()
    entry.save()
    return entry


def ledger_exam_credit(
    *, person: Person, hours: Decimal, date: datetime.date, training_name: str, training_type: str
) -> StudyHourEntry:
    """The hours a passed assessment earns (its caller, training.exams.services.rewards, writes
    it once per exam and person)."""
    return StudyHourEntry.objects.create(
        person=person,
        source=HourSource.EXAM,
        hours=hours,
        date=date,
        training_name=training_name[:200],
        training_type=training_type[:50],
    )


def ledger_session_credit(
    *,
    user: User,
    person: Person,
    hours: Decimal,
    date: datetime.date,
    training_name: str,
    training_type: str = "",
    organisation: str = "",
    fire_safety: bool = False,
) -> StudyHourEntry:
    """Hours of an offline session the organiser confirmed (training.sessions.services.attendance);
    a fire-safety session's are fire-safety training (公安部61号令 第三十六条)."""
    entry = StudyHourEntry(
        person=person,
        source=HourSource.OFFLINE_SESSION,
        training_name=training_name,
        training_type=training_type,
        organisation=organisation,
        topic=TrainingTopic.FIRE_SAFETY if fire_safety else TrainingTopic.GENERAL,
        hours=hours,
        date=date,
        confirmed_by=user,
    )
    entry.full_clean()
    entry.save()
    return entry

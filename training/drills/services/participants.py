"""Writes of a drill's list of participants: people of the record's enterprise, each once.

The list is optional per record and sits beside the headcount on site, which stays the figure
the drill reports. Every change is checked whole before anything is written.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from directory.models import Person, User
from directory.models.relations import works_for_q
from directory.selectors import people_visible_to
from training.drills.models.participants import DrillParticipant, ParticipantSource
from training.drills.models.records import DrillRecord
from training.drills.services.records import _require_editable


def record_people(record: DrillRecord) -> QuerySet[Person]:
    """The people who may be on the list of `record`: those who worked for the record's
    enterprise on the drill's day — its employees and the people attached to it then."""
    return Person.objects.filter(works_for_q(record.enterprise_id, on=record.date))


def participant_problem(*, record: DrillRecord, person: Person) -> str | None:
    """Why `person` may not be on the list of `record`, or None: only the people of the record's
    enterprise (the import's rule; the one entering must also be allowed to change the record)."""
    if person.employer_id == record.enterprise_id:
        return None
    if not record_people(record).filter(pk=person.pk).exists():
        return _outside(record, person)
    return None


def _outside(record: DrillRecord, person: Person) -> str:
    return _(
        "%(name)s is not a person of %(enterprise)s and cannot be on the list of its drill."
    ) % {"name": person.name, "enterprise": record.enterprise.name}


def participants_outside(record: DrillRecord, enterprise_id: int | None) -> str | None:
    """Why `record` cannot move to the enterprise `enterprise_id`: its list names people of
    another enterprise (they must be taken off first), or None."""
    if not record.pk or enterprise_id is None:
        return None
    names = list(
        record.participants.exclude(
            person__in=Person.objects.filter(works_for_q(enterprise_id, on=record.date))
        )
        .order_by("person__name")
        .values_list("person__name", flat=True)[:5]
    )
    if not names:
        return None
    return _(
        "The drill's list of participants names people of another enterprise (%(names)s); take "
        "them off the list before changing the enterprise."
    ) % {"names": "、".join(names)}


def participants_check(
    *, user: User | None, record: DrillRecord, people: Iterable[Person]
) -> list[str]:
    """Every reason the people cannot be added to the record's list, naming each person: outside
    the enterprise, named twice, or already listed."""
    people = list(people)
    listed = set(record.participants.values_list("person_id", flat=True)) if record.pk else set()
    visible = None
    if user is not None:
        visible = set(
            people_visible_to(user)
            .filter(pk__in=[p.pk for p in people])
            .values_list("pk", flat=True)
        )
    errors, seen = [], set()
    for person in people:
        outside = participant_problem(record=record, person=person)
        if outside is None and visible is not None and person.pk not in visible:
            outside = _outside(record, person)
        if outside:
            errors.append(outside)
        elif person.pk in seen:
            errors.append(_("%(name)s is named twice.") % {"name": person.name})
        elif person.pk in listed:
            errors.append(_("%(name)s is already on the drill's list.") % {"name": person.name})
        seen.add(person.pk)
    return errors


@transaction.atomic
def drill_participants_add(
    *,
    user: User | None,
    record: DrillRecord,
    people: Iterable[Person],
    remark: str = "",
    source: str = ParticipantSource.ENTERED,
) -> list[DrillParticipant]:
    """Add people to the record's list, all or none; raises a ValidationError on `participants`
    naming each person refused."""
    if user is not None:
        _require_editable(user, record.enterprise)
    people = list(people)
    errors = participants_check(user=user, record=record, people=people)
    remark = remark.strip()
    if len(remark) > DrillParticipant._meta.get_field("remark").max_length:
        errors.append(_("The role or remark is too long (at most 200 characters)."))
    if errors:
        raise ValidationError({"participants": errors})
    return DrillParticipant.objects.bulk_create(
        [
            DrillParticipant(
                record=record, person=person, remark=remark, source=source, added_by=user
            )
            for person in people
        ]
    )


@transaction.atomic
def drill_participants_remove(
    *, user: User | None, record: DrillRecord, participant_ids: Iterable[int]
) -> int:
    """Take people off the record's list; returns how many were taken off."""
    if user is not None:
        _require_editable(user, record.enterprise)
    deleted, _by_model = record.participants.filter(pk__in=list(participant_ids)).delete()
    return deleted

"""Writes of related units and attachments: keyword-only, checked (model `clean`, the user's
rights on the host enterprise), atomic. The back office, the front office and the import call
these (the import writes through the same `clean` and rights in bulk)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Attachment, Enterprise, EnterpriseRelation, Person, User
from directory.models.relations import current_q
from directory.permissions import role_may
from directory.scoping import editable_by


def host_problem(user: User | None, model: type, host: Enterprise, action: str) -> str | None:
    """Why `user` may not record related units or attachments of `host`, or None (the command
    line, user None, may)."""
    if user is None:
        return None
    if not role_may(user, model, action):
        return _("Your account may not add or change these records.")
    if not editable_by(user, Enterprise, Enterprise.objects.filter(pk=host.pk)).exists():
        return _("This enterprise is outside your responsibility.")
    return None


def _check(user: User | None, model: type, host: Enterprise, action: str) -> None:
    problem = host_problem(user, model, host, action)
    if problem:
        raise PermissionDenied(problem)


@transaction.atomic
def relation_record(
    *,
    user: User | None,
    host: Enterprise,
    unit: Enterprise,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    workplaces: str = "",
) -> EnterpriseRelation:
    """Record `unit` as a related unit of `host` (a contractor, tenant or dispatch agency)."""
    _check(user, EnterpriseRelation, host, "add")
    relation = EnterpriseRelation(
        host=host,
        unit=unit,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        workplaces=workplaces.strip(),
    )
    relation.full_clean()
    relation.save()
    return relation


@transaction.atomic
def relation_end(
    *, user: User | None, relation: EnterpriseRelation, ends_on: datetime.date | None = None
) -> EnterpriseRelation:
    """End a relation on a day (today): the attachments through it end by then too, so people
    stop counting at the host when their employer's relation does."""
    _check(user, EnterpriseRelation, relation.host, "change")
    ends_on = ends_on or timezone.localdate()
    if ends_on < relation.starts_on:
        raise ValidationError(
            {
                "ends_on": _("The end date cannot be before the start date (%(date)s).")
                % {"date": relation.starts_on.isoformat()}
            }
        )
    relation.ends_on = ends_on
    relation.full_clean()
    relation.save(update_fields=["ends_on", "updated_at"])
    through = relation.attachments.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=ends_on))
    # An attachment starting after the relation's new end never takes effect: it is cut to
    # one day at the relation's end rather than left pointing past it.
    through.filter(starts_on__gt=ends_on).update(starts_on=ends_on, ends_on=ends_on)
    through.update(ends_on=ends_on, updated_at=timezone.now())
    return relation


def relation_for(
    *, host: Enterprise, person: Person, on: datetime.date
) -> EnterpriseRelation | None:
    """The relation in force on `on` between `host` and the person's employer, if any."""
    if person.employer_id is None:
        return None
    return (
        EnterpriseRelation.objects.filter(current_q(on=on), host=host, unit_id=person.employer_id)
        .order_by("starts_on", "pk")
        .first()
    )


@transaction.atomic
def attachment_record(
    *,
    user: User | None,
    person: Person,
    host: Enterprise,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    relation: EnterpriseRelation | None = None,
) -> Attachment:
    """Attach `person` to `host` for its training and drills, their employer unchanged: through
    the relation between the host and the employer in force at the start (found when not
    given), or as a dispatched or flexible worker."""
    _check(user, Attachment, host, "add")
    if relation is None:
        relation = relation_for(host=host, person=person, on=starts_on)
    attachment = Attachment(
        person=person, host=host, relation=relation, starts_on=starts_on, ends_on=ends_on
    )
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def attachment_end(
    *, user: User | None, attachment: Attachment, ends_on: datetime.date | None = None
) -> Attachment:
    """End an attachment on a day (today): from the next day the person no longer counts at
    the host and its manager no longer sees them."""
    _check(user, Attachment, attachment.host, "change")
    attachment.ends_on = ends_on or timezone.localdate()
    attachment.full_clean()
    attachment.save(update_fields=["ends_on", "updated_at"])
    return attachment

"""Writes of enterprises and people, one at a time: the back-office screens and any other code
go through these (an import writes its batches in bulk, with the same rights check,
directory.rights, and the same change log).

The caller hands in values it has validated (a form's cleaned data); the service checks that the
user may write the record and each changed field, saves it and logs the change.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from directory.models import Enterprise, Person, Post, User
from directory.models.people import post_since_after_return
from directory.permissions import role_may
from directory.rights import registry_write_problem
from directory.scoping import editable_by
from directory.services.change_log import SOURCE_SERVICE, registry_changes_log, registry_state


def _check(user: User | None, instance: models.Model, action: str) -> None:
    if user is None:
        return
    if not role_may(user, type(instance), action):
        raise PermissionDenied(_("Your account may not add or change these records."))
    if (
        instance.pk is not None
        and not editable_by(
            user, type(instance), type(instance).objects.filter(pk=instance.pk)
        ).exists()
    ):
        raise PermissionDenied(_("This record is outside your responsibility."))


def _apply(instance: models.Model, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            continue
        setattr(instance, name, value)


def _set_many(instance: models.Model, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        if instance._meta.get_field(name).many_to_many:
            getattr(instance, name).set(value)


def _create(model, *, user: User | None, values: Mapping[str, Any], source: str):
    instance = model()
    _apply(instance, values)
    _check(user, instance, "add")
    problem = registry_write_problem(user, instance, None)
    if problem:
        raise PermissionDenied(problem)
    instance.save()
    _set_many(instance, values)
    registry_changes_log(changes=[(instance, None)], user=user, source=source)
    return instance


def _update(instance, *, user: User | None, values: Mapping[str, Any], source: str):
    _check(user, instance, "change")
    before = registry_state(instance)
    _apply(instance, values)
    problem = registry_write_problem(user, instance, before)
    if problem:
        raise PermissionDenied(problem)
    instance.save()
    _set_many(instance, values)
    registry_changes_log(changes=[(instance, before)], user=user, source=source)
    return instance


def _delete(instance, *, user: User | None) -> None:
    _check(user, instance, "delete")
    # Logged before the row goes, as the back office always has (Wagtail's "deleted" line).
    log(instance=instance, action="wagtail.delete", user=user, deleted=True)
    instance.delete()


@transaction.atomic
def enterprise_create(
    *, user: User | None, values: Mapping[str, Any], source: str = SOURCE_SERVICE
) -> Enterprise:
    """Register an enterprise; `user` None is the system (no rights checked)."""
    return _create(Enterprise, user=user, values=values, source=source)


@transaction.atomic
def enterprise_update(
    *,
    enterprise: Enterprise,
    user: User | None,
    values: Mapping[str, Any],
    source: str = SOURCE_SERVICE,
) -> Enterprise:
    """Change an enterprise as it is stored; a locked field (directory.rights) may not change."""
    return _update(enterprise, user=user, values=values, source=source)


@transaction.atomic
def enterprise_delete(*, enterprise: Enterprise, user: User | None) -> None:
    """Delete an enterprise; ProtectedError while people or records still refer to it."""
    _delete(enterprise, user=user)


@transaction.atomic
def person_create(
    *, user: User | None, values: Mapping[str, Any], source: str = SOURCE_SERVICE
) -> Person:
    return _create(Person, user=user, values=return_dated(Person(), values), source=source)


@transaction.atomic
def person_update(
    *,
    person: Person,
    user: User | None,
    values: Mapping[str, Any],
    source: str = SOURCE_SERVICE,
) -> Person:
    values = return_dated(person, transfer_dated(person, values))
    return _update(person, user=user, values=values, source=source)


def transfer_dated(person: Person, values: Mapping[str, Any]) -> Mapping[str, Any]:
    """A move from one post of the table to another dates the new post today, unless the caller
    gives the date: workshop and team training is due again from it
    (《生产经营单位安全培训规定》第十七条). A first post given to someone is not a transfer."""
    if "work_post" not in values or person.work_post_id is None:
        return values
    new = values["work_post"]
    new_id = new.pk if isinstance(new, Post) else new
    if new_id == person.work_post_id or values.get("post_since", person.post_since) != (
        person.post_since
    ):
        return values
    return {**values, "post_since": timezone.localdate()}


def return_dated(person: Person, values: Mapping[str, Any]) -> Mapping[str, Any]:
    """A return after an absence of a year or more dates the current post from the return day:
    workshop and team training is due again (《生产经营单位安全培训规定》第十七条). A shorter
    absence changes nothing, nor does a post taken after the return."""
    since = values.get("post_since", person.post_since)
    dated = post_since_after_return(
        away_since=values.get("away_since", person.away_since),
        returned_on=values.get("returned_on", person.returned_on),
        post_since=since,
    )
    return values if dated == since else {**values, "post_since": dated}


@transaction.atomic
def person_delete(*, person: Person, user: User | None) -> None:
    _delete(person, user=user)


def people_link_to_posts(*, person_model=Person, post_model=Post, people=None) -> int:
    """Give people without a post from the table the post whose name equals their job title
    (free text kept before the table existed, or a bulk load). Returns how many were linked.

    The model classes may be a migration's historical ones (the data migration seeding posts);
    `people`: the primary keys to consider (default: everyone).
    """
    linked = 0
    candidates = person_model.objects.filter(work_post__isnull=True)
    if people is not None:
        candidates = candidates.filter(pk__in=people)
    with transaction.atomic():
        for post_id, name in post_model.objects.values_list("pk", "name"):
            linked += candidates.filter(post=name).update(work_post_id=post_id)
    return linked

"""Writes of login accounts: creating one for a role and unit, linking it to a registry entry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.models import (
    Department,
    Enterprise,
    Person,
    User,
    Village,
)
from directory.services.change_log import SOURCE_SERVICE, registry_changes_log, registry_state


@transaction.atomic
def account_create(
    *,
    username: str,
    password: str | None,
    role: str,
    department: Department | None = None,
    village: Village | None = None,
    enterprise: Enterprise | None = None,
    person: Person | None = None,
    is_superuser: bool = False,
    by: User | None = None,
) -> User:
    """A login account for a role and its unit, optionally tied to the person it belongs to.

    `password=None` creates an account that cannot log in until a password is set. `by` is who
    did it, for the registry change log of the person (None: the system).
    """
    user = User(
        username=username,
        role=AccountRole(role),
        department=department,
        village=village,
        enterprise=enterprise,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    # The username and the role's unit constraints fail here with a message, not an IntegrityError.
    user.full_clean()
    if person is not None:
        _person_check_linkable(person=person, role=user.role, enterprise=enterprise)
    user.save()
    if person is not None:
        before = registry_state(person)
        person.account = user
        person.save(update_fields=["account", "updated_at"])
        registry_changes_log(changes=[(person, before)], user=by, source=SOURCE_SERVICE)
    return user


def _person_check_linkable(*, person: Person, role: str, enterprise: Enterprise | None) -> None:
    if person.account_id is not None:
        raise ValidationError(
            _("%(person)s already has a login account.") % {"person": person.name}
        )
    if role == AccountRole.ENTERPRISE_MANAGER and person.employer_id != getattr(
        enterprise, "pk", None
    ):
        raise ValidationError(
            _("%(person)s does not work for the enterprise this account manages.")
            % {"person": person.name}
        )


@transaction.atomic
def account_person_set(*, account: User, person: Person | None, by: User | None = None) -> None:
    """Tie an account to the registry person it belongs to (or to nobody); `by` is who did it."""
    changes = []
    for former in Person.objects.filter(account=account).exclude(pk=getattr(person, "pk", None)):
        changes.append((former, registry_state(former)))
        former.account = None
        former.save(update_fields=["account", "updated_at"])
    if person is not None and person.account_id != account.pk:
        if person.account_id is not None:
            raise ValidationError(
                _("%(person)s already has a login account.") % {"person": person.name}
            )
        changes.append((person, registry_state(person)))
        person.account = account
        person.save(update_fields=["account", "updated_at"])
    registry_changes_log(changes=changes, user=by, source=SOURCE_SERVICE)

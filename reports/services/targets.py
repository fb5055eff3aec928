"""Writes of targets and exemplary enterprises: the town office only, validated by the models."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.models import User
from directory.selectors import account_role
from reports.models import ExemplaryEnterprise, Target


def _town_office_only(user: User) -> None:
    if account_role(user) != AccountRole.TOWN_OFFICE:
        raise PermissionDenied(_("Only the town safety office sets targets."))


@transaction.atomic
def target_save(*, user: User, target: Target) -> Target:
    """Create or update a target (its fields already set), after the model's checks."""
    _town_office_only(user)
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def exemplary_save(*, user: User, exemplary: ExemplaryEnterprise) -> ExemplaryEnterprise:
    """Name an enterprise exemplary for a year (or change the entry)."""
    _town_office_only(user)
    exemplary.full_clean()
    exemplary.save()
    return exemplary

"""Writes of the drill follow-up: keyword-only, typed, atomic, within the user's scope."""

from django.db import transaction

from directory.models import Enterprise, User
from training.models import DrillProfile
from training.services import _require_editable


@transaction.atomic
def drill_profile_set(
    *, user: User, enterprise: Enterprise, keeps_on_site_plan: bool
) -> DrillProfile:
    """Declare whether an enterprise keeps an on-site disposal plan (one profile per enterprise)."""
    _require_editable(user, enterprise)
    profile, _created = DrillProfile.objects.select_for_update().get_or_create(
        enterprise=enterprise
    )
    profile.keeps_on_site_plan = keeps_on_site_plan
    profile.updated_by = user
    profile.full_clean()
    profile.save()
    return profile

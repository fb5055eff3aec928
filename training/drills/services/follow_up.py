"""Writes of the drill follow-up: keyword-only, typed, atomic, within the user's scope."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from directory.models import Enterprise, User
from directory.selectors import account_role, enterprises_visible_to
from training.common.actions import action_accept, action_close, action_require_open
from training.common.evidence import PreparedEvidence, evidence_prepare, evidence_prepare_all
from training.common.roles import REVIEWER_ROLES
from training.drills.models.corrective_actions import CorrectiveAction
from training.drills.models.evidence import DrillEvidence
from training.drills.models.observations import DrillObservation
from training.drills.models.profile import DrillProfile
from training.drills.models.records import DrillRecord
from training.drills.services.records import _require_editable


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


def _evidence_save(*, user: User, record: DrillRecord, prepared: PreparedEvidence) -> DrillEvidence:
    info = prepared.info
    evidence = DrillEvidence(
        record=record,
        kind=info.kind,
        original_name=prepared.original_name,
        content_type=info.content_type,
        size=prepared.size,
        captured_at=info.captured_at,
        uploaded_by=user,
    )
    evidence.file.save(prepared.content.name, prepared.content, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def drill_evidence_add(*, user: User, record: DrillRecord, uploads: list) -> list[DrillEvidence]:
    """Attach photos / videos to a record the user may change; all of them or none."""
    _require_editable(user, record.enterprise)
    return [
        _evidence_save(user=user, record=record, prepared=prepared)
        for prepared in evidence_prepare_all(uploads)
    ]


@transaction.atomic
def drill_evidence_delete(*, user: User, evidence: DrillEvidence) -> None:
    _require_editable(user, evidence.record.enterprise)
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def drill_evidence_replace(*, user: User, evidence: DrillEvidence, upload) -> DrillEvidence:
    """Put another file in place of an evidence item; the old file goes once committed."""
    _require_editable(user, evidence.record.enterprise)
    prepared = evidence_prepare(upload)
    info = prepared.info
    old_name, storage = evidence.file.name, evidence.file.storage
    evidence.kind, evidence.content_type = info.kind, info.content_type
    evidence.captured_at, evidence.size = info.captured_at, prepared.size
    evidence.original_name, evidence.uploaded_by = prepared.original_name, user
    evidence.file.save(prepared.content.name, prepared.content, save=False)
    evidence.save()
    transaction.on_commit(lambda: storage.delete(old_name))
    return evidence


def _require_reviewer(user: User, record: DrillRecord, message: str) -> None:
    """Officers follow the drills of the enterprises they see; an enterprise not its own."""
    if account_role(user) not in REVIEWER_ROLES or not (
        enterprises_visible_to(user).filter(pk=record.enterprise_id).exists()
    ):
        raise PermissionDenied(message)


# --- corrective actions ------------------------------------------------------------------------


@transaction.atomic
def corrective_action_create(
    *,
    user: User,
    record: DrillRecord,
    problem: str,
    owner: str,
    due_date: datetime.date,
    measure: str = "",
) -> CorrectiveAction:
    """An action for a problem the drill found, owned by a named person, due by a date."""
    _require_editable(user, record.enterprise)
    action = CorrectiveAction(
        record=record,
        problem=problem,
        measure=measure,
        owner=owner,
        due_date=due_date,
        created_by=user,
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def corrective_action_update(*, user: User, action: CorrectiveAction, **fields) -> CorrectiveAction:
    _require_editable(user, action.record.enterprise)
    action_require_open(action)
    allowed = {"problem", "measure", "owner", "due_date"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(action, name, value)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def corrective_action_close(
    *, user: User, action: CorrectiveAction, note: str, evidence=None
) -> CorrectiveAction:
    """The enterprise reports the action done, with a note and optionally a photo / video."""
    _require_editable(user, action.record.enterprise)
    return action_close(action=action, note=note, evidence=evidence)


@transaction.atomic
def corrective_action_accept(
    *, user: User, action: CorrectiveAction, accept: bool, note: str = ""
) -> CorrectiveAction:
    """An officer accepts a done action, or reopens it saying what is still missing."""
    _require_reviewer(user, action.record, _("You may not accept actions of this enterprise."))
    return action_accept(user=user, action=action, accept=accept, note=note)


# --- on-site observations ----------------------------------------------------------------------


@transaction.atomic
def drill_observation_add(
    *, user: User, record: DrillRecord, observed_at: datetime.datetime, note: str
) -> DrillObservation:
    """An officer notes what they saw at the drill; the enterprise reads it with the record."""
    _require_reviewer(user, record, _("You may not note observations of this enterprise."))
    observation = DrillObservation(
        record=record,
        observer=user,
        observer_name=user.get_full_name() or user.username,
        observed_at=observed_at,
        note=note.strip(),
    )
    observation.full_clean()
    observation.save()
    return observation

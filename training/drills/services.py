"""Writes of the drill follow-up: keyword-only, typed, atomic, within the user's scope."""

from django.db import transaction

from directory.models import Enterprise, User
from training.drills.evidence import inspect_evidence
from training.models import DrillEvidence, DrillProfile, DrillRecord
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


def evidence_inspect_all(uploads) -> list:
    """Inspect every upload first, so a bad one refuses them all before anything is written."""
    return [(upload, inspect_evidence(upload)) for upload in uploads]


def _evidence_save(*, user: User, record: DrillRecord, upload, info) -> DrillEvidence:
    evidence = DrillEvidence(
        record=record,
        kind=info.kind,
        original_name=upload.name[:255],
        content_type=info.content_type,
        size=upload.size,
        captured_at=info.captured_at,
        uploaded_by=user,
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def drill_evidence_add(*, user: User, record: DrillRecord, uploads: list) -> list[DrillEvidence]:
    """Attach photos / videos to a record the user may change; all of them or none."""
    _require_editable(user, record.enterprise)
    checked = evidence_inspect_all(uploads)
    return [
        _evidence_save(user=user, record=record, upload=upload, info=info)
        for upload, info in checked
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
    info = inspect_evidence(upload)
    old_name, storage = evidence.file.name, evidence.file.storage
    evidence.kind, evidence.content_type = info.kind, info.content_type
    evidence.captured_at, evidence.size = info.captured_at, upload.size
    evidence.original_name, evidence.uploaded_by = upload.name[:255], user
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    transaction.on_commit(lambda: storage.delete(old_name))
    return evidence

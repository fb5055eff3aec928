"""Writes of drills: plans and records entered within the user's scope, and officers' reviews."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Enterprise, User
from directory.selectors import account_role, enterprises_editable_by, enterprises_visible_to
from training.common.roles import REVIEWER_ROLES
from training.drills.models.records import DrillPlan, DrillRecord, ReviewStatus

REVIEW_DECISIONS = {ReviewStatus.ACCEPTED, ReviewStatus.MORE_INFORMATION}


def _require_editable(user: User, enterprise: Enterprise) -> None:
    if not enterprises_editable_by(user).filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("You may not record drills for this enterprise."))


@transaction.atomic
def drill_plan_create(
    *,
    user: User,
    enterprise: Enterprise,
    year: int,
    planned_date: datetime.date,
    scenario: str,
    plan_type: str,
) -> DrillPlan:
    _require_editable(user, enterprise)
    plan = DrillPlan(
        enterprise=enterprise,
        year=year,
        planned_date=planned_date,
        scenario=scenario,
        plan_type=plan_type,
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def drill_record_create(*, user: User, enterprise: Enterprise, **fields) -> DrillRecord:
    """A drill as the enterprise (or its supervisor) enters it; it waits for review."""
    _require_editable(user, enterprise)
    record = DrillRecord(
        enterprise=enterprise, recorded_by=user, review_status=ReviewStatus.SUBMITTED, **fields
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def drill_record_update(*, user: User, record: DrillRecord, **fields) -> DrillRecord:
    """A changed record goes back to review: what was accepted is no longer what it says."""
    _require_editable(user, record.enterprise)
    if "enterprise" in fields:
        _require_editable(user, fields["enterprise"])
    for name, value in fields.items():
        setattr(record, name, value)
    record.review_status = ReviewStatus.SUBMITTED
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def drill_record_review(
    *, user: User, record: DrillRecord, decision: str, note: str = ""
) -> DrillRecord:
    """An officer accepts a record or asks the enterprise for more information."""
    if account_role(user) not in REVIEWER_ROLES or not (
        enterprises_visible_to(user).filter(pk=record.enterprise_id).exists()
    ):
        raise PermissionDenied(_("You may not review drills of this enterprise."))
    if decision not in REVIEW_DECISIONS:
        raise ValidationError({"review_status": _("Choose accept or ask for more information.")})
    if decision == ReviewStatus.MORE_INFORMATION and not note.strip():
        raise ValidationError({"review_note": _("Say what information is missing.")})
    record.review_status = decision
    record.review_note = note
    record.reviewed_by = user
    record.reviewed_at = timezone.now()
    record.save(
        update_fields=["review_status", "review_note", "reviewed_by", "reviewed_at", "updated_at"]
    )
    return record

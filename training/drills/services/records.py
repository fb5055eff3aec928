"""Writes of drills: plans and records entered within the user's scope, and officers' reviews."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Enterprise, User
from directory.selectors import account_role, enterprises_editable_by, enterprises_visible_to
from training.common.roles import REVIEWER_ROLES
from training.drills.models.records import DrillPlan, DrillRecord, ReviewStatus
from training.drills.rules import DUTY_FIELDS, duties_allowed, record_duties

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


def drill_record_check(
    *,
    date: datetime.date | None,
    scenario: str | None,
    plan_type: str | None,
    duties: Iterable[str] = (),
    today: datetime.date | None = None,
) -> dict[str, list[str]]:
    """What the entry paths (phone form, back-office form, import) refuse beyond the model's own
    checks, by field: claimed duties the drill's kind cannot meet (on `duties`, in
    rules.duty_refusal's words) and a drill dated after today (a record is of a drill held)."""
    duties = set(duties)
    errors: dict[str, list[str]] = {}
    if date and date > (today or timezone.localdate()):
        errors["date"] = [_("A drill cannot be dated in the future.")]
    if scenario and plan_type:
        _met, refused = record_duties(scenario=scenario, plan_type=plan_type, claimed=duties)
        if refused:
            errors["duties"] = refused
    return errors


def duty_values(*, scenario: str, plan_type: str, duties: Iterable[str]) -> dict[str, bool]:
    """The record's duty fields for claimed duties: implied ones on, impossible ones off (those
    are refused by drill_record_check, on the duties field rather than by the model's clean())."""
    met, _refused = record_duties(scenario=scenario, plan_type=plan_type, claimed=duties)
    return {name: duty in met for duty, name in DUTY_FIELDS.items()}


def drill_record_validate(
    record: DrillRecord, *, duties: Iterable[str], today: datetime.date | None = None
) -> None:
    """Every check of a record about to be written, with the claimed duties; raises one
    ValidationError naming each field."""
    duties = set(duties)
    errors = drill_record_check(
        date=record.date,
        scenario=record.scenario,
        plan_type=record.plan_type,
        duties=duties,
        today=today,
    )
    if record.scenario and record.plan_type:
        for name, value in duty_values(
            scenario=record.scenario, plan_type=record.plan_type, duties=duties
        ).items():
            setattr(record, name, value)
    try:
        record.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    from training.drills.services.participants import participants_outside

    moved = participants_outside(record, record.enterprise_id)
    if moved:
        errors.setdefault("enterprise", []).append(moved)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def drill_record_create(
    *, user: User, enterprise: Enterprise, duties: Iterable[str] = (), **fields
) -> DrillRecord:
    """A drill as the enterprise (or its supervisor) enters it, with the duties it claims to
    meet (rules.DrillDuty values; those its kind implies are added); it waits for review."""
    _require_editable(user, enterprise)
    record = DrillRecord(
        enterprise=enterprise, recorded_by=user, review_status=ReviewStatus.SUBMITTED, **fields
    )
    drill_record_validate(record, duties=duties)
    record.save()
    return record


@transaction.atomic
def drill_record_update(
    *, user: User, record: DrillRecord, duties: Iterable[str] | None = None, **fields
) -> DrillRecord:
    """A changed record goes back to review: what was accepted is no longer what it says.
    Without `duties` the record keeps the duties it claims (those its new kind allows)."""
    _require_editable(user, record.enterprise)
    if "enterprise" in fields:
        _require_editable(user, fields["enterprise"])
    for name, value in fields.items():
        setattr(record, name, value)
    record.review_status = ReviewStatus.SUBMITTED
    if duties is None:
        duties = record.duties & duties_allowed(
            scenario=record.scenario, plan_type=record.plan_type
        )
    drill_record_validate(record, duties=duties)
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

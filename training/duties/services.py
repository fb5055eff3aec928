"""Writes of the principals' duties: keyword-only, typed, atomic, within the user's scope.

The enterprise's safety manager fills the principal's checklist and records the self-inspections;
the enterprise's lead department (or the town office) reviews the checklist; hazards found are
closed by the enterprise and accepted by an officer who follows it, as drills' corrective actions
are (training.common.actions).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.models import Enterprise, Person, User
from directory.selectors import account_role, enterprises_editable_by, enterprises_visible_to
from directory.uploads import IMAGE_FORMATS, UploadRefused, scan_prepare, stored_name
from training.common.actions import action_accept, action_close
from training.common.roles import REVIEWER_ROLES
from training.duties.models import (
    ChecklistEntry,
    ChecklistStatus,
    DutyItem,
    InspectionHazard,
    PrincipalChecklist,
    SelfInspection,
)

FILLABLE = (ChecklistStatus.DRAFT, ChecklistStatus.RETURNED)


def _require_manager(user: User, enterprise: Enterprise) -> None:
    """Only the enterprise's own safety manager fills its principals' duties."""
    if account_role(user) != AccountRole.ENTERPRISE_MANAGER or not (
        enterprises_editable_by(user).filter(pk=enterprise.pk).exists()
    ):
        raise PermissionDenied(_("Only the enterprise's safety manager may fill this in."))


def _require_lead_department(user: User, enterprise: Enterprise) -> None:
    """The enterprise's lead department reviews the checklist (the town office may as well)."""
    role = account_role(user)
    if role == AccountRole.TOWN_OFFICE:
        return
    if (
        role != AccountRole.DEPARTMENT_OFFICER
        or user.department_id != enterprise.lead_department_id
    ):
        raise PermissionDenied(
            _("Only the enterprise's lead department may review this checklist.")
        )


def _require_follower(user: User, enterprise: Enterprise) -> None:
    if account_role(user) not in REVIEWER_ROLES or not (
        enterprises_visible_to(user).filter(pk=enterprise.pk).exists()
    ):
        raise PermissionDenied(_("You may not accept hazards of this enterprise."))


# --- the 五带头 checklist ------------------------------------------------------------------------


@transaction.atomic
def checklist_open(*, user: User, principal: Person, year: int) -> PrincipalChecklist:
    """The principal's checklist of `year` at the principal's enterprise, made if missing."""
    enterprise = principal.employer
    if enterprise is None or not principal.is_principal:
        raise ValidationError({"principal": _("This person is not a principal of an enterprise.")})
    _require_manager(user, enterprise)
    checklist, _created = PrincipalChecklist.objects.get_or_create(
        enterprise=enterprise, principal=principal, year=year
    )
    return checklist


def _evidence_content(upload) -> tuple[str, ContentFile]:
    try:
        content_type, data = scan_prepare(upload, image_formats=IMAGE_FORMATS)
    except UploadRefused as refused:
        raise ValidationError(
            {
                "evidence": _("“%(name)s”: %(problem)s")
                % {"name": upload.name, "problem": refused.message}
            }
        ) from None
    return content_type, ContentFile(data, name=stored_name(content_type))


@transaction.atomic
def checklist_entry_save(
    *, user: User, checklist: PrincipalChecklist, item: DutyItem, note: str, evidence=None
) -> ChecklistEntry:
    """What the principal did for one item, with an optional file (a PDF or a photo) proving
    it; a new file takes the old one's place once committed."""
    checklist = PrincipalChecklist.objects.select_for_update().get(pk=checklist.pk)
    _require_manager(user, checklist.enterprise)
    if checklist.status not in FILLABLE:
        raise ValidationError({"status": _("A submitted or accepted checklist cannot be changed.")})
    if not item.active:
        raise ValidationError({"item": _("This item is no longer in use.")})
    if not note.strip():
        raise ValidationError(
            {"note": _("Say what the principal did for “%(item)s”.") % {"item": item.title}}
        )
    entry = ChecklistEntry.objects.filter(checklist=checklist, item=item).first() or ChecklistEntry(
        checklist=checklist, item=item
    )
    entry.note = note.strip()
    if evidence:
        content_type, content = _evidence_content(evidence)
        old_name, storage = entry.evidence.name, entry.evidence.storage
        entry.evidence.save(content.name, content, save=False)
        entry.evidence_name, entry.evidence_type = evidence.name[:255], content_type
        if old_name:
            transaction.on_commit(lambda: storage.delete(old_name))
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def checklist_submit(*, user: User, checklist: PrincipalChecklist) -> PrincipalChecklist:
    """Send the checklist to the lead department: every item in use needs an entry with evidence."""
    checklist = PrincipalChecklist.objects.select_for_update().get(pk=checklist.pk)
    _require_manager(user, checklist.enterprise)
    if checklist.status not in FILLABLE:
        raise ValidationError({"status": _("This checklist has already been submitted.")})
    entries = {e.item_id: e for e in checklist.entries.all()}
    missing = [
        item.title
        for item in DutyItem.objects.filter(active=True).order_by("sort_order", "pk")
        if item.pk not in entries or not entries[item.pk].evidence
    ]
    if missing:
        raise ValidationError(
            {
                "entries": _("Fill in and attach evidence for: %(items)s.")
                % {"items": "、".join(missing)}
            }
        )
    checklist.status, checklist.submitted_at = ChecklistStatus.SUBMITTED, timezone.now()
    checklist.save(update_fields=["status", "submitted_at"])
    return checklist


@transaction.atomic
def checklist_review(
    *, user: User, checklist: PrincipalChecklist, accept: bool, note: str = ""
) -> PrincipalChecklist:
    """The lead department accepts a submitted checklist, or returns it saying what is missing."""
    checklist = PrincipalChecklist.objects.select_for_update().get(pk=checklist.pk)
    _require_lead_department(user, checklist.enterprise)
    if checklist.status != ChecklistStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted checklist can be reviewed.")})
    if not accept and not note.strip():
        raise ValidationError({"review_note": _("Say what is missing.")})
    checklist.status = ChecklistStatus.ACCEPTED if accept else ChecklistStatus.RETURNED
    checklist.review_note = note.strip()
    checklist.reviewed_by, checklist.reviewed_at = user, timezone.now()
    checklist.full_clean()
    checklist.save()
    return checklist


# --- the quarterly self-inspection ---------------------------------------------------------------


@transaction.atomic
def self_inspection_record(
    *,
    user: User,
    enterprise: Enterprise,
    principal: Person,
    date: datetime.date,
    scope: str,
    hazards: list[dict],
) -> SelfInspection:
    """A self-inspection the principal led, with each hazard found (problem, owner, due date,
    measure) to be corrected; all of it or nothing."""
    _require_manager(user, enterprise)
    if date > timezone.localdate():
        raise ValidationError({"date": _("The inspection date cannot be in the future.")})
    inspection = SelfInspection(
        enterprise=enterprise, principal=principal, date=date, scope=scope.strip(), created_by=user
    )
    inspection.full_clean()
    inspection.save()
    for number, fields in enumerate(hazards, start=1):
        hazard = InspectionHazard(
            inspection=inspection,
            problem=(fields.get("problem") or "").strip(),
            measure=(fields.get("measure") or "").strip(),
            owner=(fields.get("owner") or "").strip(),
            due_date=fields.get("due_date"),
            created_by=user,
        )
        try:
            hazard.full_clean()
        except ValidationError as error:
            raise ValidationError(
                {
                    "hazards": _("Hazard %(number)s: %(problems)s")
                    % {"number": number, "problems": "；".join(error.messages)}
                }
            ) from None
        hazard.save()
    return inspection


@transaction.atomic
def hazard_close(
    *, user: User, hazard: InspectionHazard, note: str, evidence=None
) -> InspectionHazard:
    """The enterprise reports a hazard corrected, as a drill's corrective action."""
    _require_manager(user, hazard.inspection.enterprise)
    return action_close(action=hazard, note=note, evidence=evidence)


@transaction.atomic
def hazard_accept(
    *, user: User, hazard: InspectionHazard, accept: bool, note: str = ""
) -> InspectionHazard:
    """An officer following the enterprise accepts the correction or reopens the hazard."""
    _require_follower(user, hazard.inspection.enterprise)
    return action_accept(user=user, action=hazard, accept=accept, note=note)

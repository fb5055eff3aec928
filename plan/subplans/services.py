"""Writes of the sub-plans: the town office opens and closes rounds; a unit uploads its document
(a new version each time); the town office accepts it or returns it with a comment, and the
unit's officers are told either way."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import messages
from directory.constants import AccountRole
from directory.models import User
from directory.scoping import account_role
from directory.services import NotificationDraft, notifications_send
from directory.uploads import (
    DOCX_CONTENT_TYPE,
    PDF_CONTENT_TYPE,
    UploadRefused,
    docx_read,
    pdf_rewrite,
    stored_name,
)
from plan.subplans.models import (
    SUBPLAN_MAX_BYTES,
    SubPlan,
    SubPlanRound,
    SubPlanStatus,
    SubPlanVersion,
)
from reports.selectors.monthly import ReportingUnit, reporting_unit_of

SUBPLANS_URL = "/admin/plan/subplans/"


def _town_office(user: User) -> None:
    if account_role(user) != AccountRole.TOWN_OFFICE:
        raise PermissionDenied(_("Only the town safety office reviews sub-plans."))


@transaction.atomic
def subplan_round_open(*, user: User, title: str, deadline: datetime.date) -> SubPlanRound:
    """A new call for sub-plans with its deadline."""
    _town_office(user)
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the round a title.")})
    if deadline is None:
        raise ValidationError({"deadline": _("Give the round a deadline.")})
    return SubPlanRound.objects.create(title=title.strip(), deadline=deadline)


@transaction.atomic
def subplan_round_close(*, user: User, subplan_round: SubPlanRound) -> SubPlanRound:
    """No more uploads to this round; its list stays as it is."""
    _town_office(user)
    SubPlanRound.objects.filter(pk=subplan_round.pk).update(closed=True)
    subplan_round.closed = True
    return subplan_round


def subplan_document_prepare(upload) -> tuple[str, ContentFile]:
    """(content type, file to store) of a sub-plan: a PDF pypdf reads (rewritten) or a Word
    document (DOCX) whose parts are sound; anything else is refused naming the file."""
    name = getattr(upload, "name", "") or ""
    if upload.size > SUBPLAN_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("“%(name)s”: the file is %(size)s; at most %(limit)s is accepted.")
                % {
                    "name": name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(SUBPLAN_MAX_BYTES),
                }
            }
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    try:
        if head == b"%PDF-":
            content_type, data = PDF_CONTENT_TYPE, pdf_rewrite(upload)
        elif head.startswith(b"PK\x03\x04"):
            content_type, data = DOCX_CONTENT_TYPE, docx_read(upload)
        else:
            raise UploadRefused(_("it is neither a PDF nor a Word document (DOCX)."))
    except UploadRefused as refused:
        raise ValidationError(
            {
                "file": _("“%(name)s”: %(problem)s The sub-plan must be a PDF or DOCX file.")
                % {"name": name, "problem": refused.message}
            }
        ) from None
    return content_type, ContentFile(data, name=stored_name(content_type))


def _display_name(upload, content_type: str) -> str:
    """The uploader's file name for the history, without any folder part."""
    raw = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (raw or f"sub-plan.{'pdf' if content_type == PDF_CONTENT_TYPE else 'docx'}")[:200]


@transaction.atomic
def subplan_upload(
    *, user: User, subplan_round: SubPlanRound, upload, now: datetime.datetime | None = None
) -> SubPlanVersion:
    """The unit's sub-plan document for the round, as its next version, awaiting review."""
    unit = reporting_unit_of(user)
    if unit is None:
        raise PermissionDenied(_("Only departments and villages upload sub-plans."))
    subplan_round = SubPlanRound.objects.select_for_update().get(pk=subplan_round.pk)
    if subplan_round.closed:
        raise ValidationError(_("This round is closed; no more sub-plans are taken."))
    now = now or timezone.now()
    subplan = (
        # Ordered by pk: the model's ordering joins the unit tables, which PostgreSQL cannot lock.
        SubPlan.objects.select_for_update()
        .filter(round=subplan_round, **unit.report_filter)
        .order_by("pk")
        .first()
    )
    if subplan is not None and subplan.status == SubPlanStatus.ACCEPTED:
        raise ValidationError(_("The sub-plan has been accepted; it can no longer be replaced."))
    content_type, content = subplan_document_prepare(upload)
    if subplan is None:
        subplan = SubPlan.objects.create(
            round=subplan_round, submitted_at=now, **unit.report_filter
        )
    else:
        subplan.status = SubPlanStatus.PENDING
        subplan.save(update_fields=["status", "updated_at"])
    number = (subplan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return SubPlanVersion.objects.create(
        subplan=subplan,
        number=number,
        file=content,
        content_type=content_type,
        name=_display_name(upload, content_type),
        uploaded_by=user,
        uploaded_at=now,
    )


def _latest_pending(subplan: SubPlan) -> tuple[SubPlan, SubPlanVersion]:
    subplan = SubPlan.objects.select_for_update().select_related("round").get(pk=subplan.pk)
    if subplan.status != SubPlanStatus.PENDING:
        raise ValidationError(_("Only a sub-plan awaiting review can be accepted or returned."))
    return subplan, subplan.versions.order_by("-number").first()


def _unit_of_subplan(subplan: SubPlan) -> ReportingUnit:
    if subplan.department_id:
        return ReportingUnit("department", subplan.department_id, str(subplan.department))
    return ReportingUnit("village", subplan.village_id, str(subplan.village))


def _notify(subplan: SubPlan, version: SubPlanVersion, message: messages.Message) -> int:
    unit = _unit_of_subplan(subplan)
    key = f"subplan:{version.pk}:{version.review_status}"
    return notifications_send(
        drafts=[
            NotificationDraft(
                recipient_id=pk, key=key, title=message.title, body=message.body, link=SUBPLANS_URL
            )
            for pk in unit.officers().values_list("pk", flat=True)
        ]
    )


@transaction.atomic
def subplan_accept(*, user: User, subplan: SubPlan) -> SubPlan:
    _town_office(user)
    subplan, version = _latest_pending(subplan)
    version.review_status = SubPlanStatus.ACCEPTED
    version.reviewed_by, version.reviewed_at = user, timezone.now()
    version.save()
    subplan.status = SubPlanStatus.ACCEPTED
    subplan.save(update_fields=["status", "updated_at"])
    _notify(
        subplan,
        version,
        messages.subplan_accepted(unit=subplan.unit_name, round_title=subplan.round.title),
    )
    return subplan


@transaction.atomic
def subplan_return(*, user: User, subplan: SubPlan, comment: str) -> SubPlan:
    """Send the sub-plan back to its unit, saying what to revise (required)."""
    _town_office(user)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"review_comment": _("Say what needs revising.")})
    subplan, version = _latest_pending(subplan)
    version.review_status = SubPlanStatus.RETURNED
    version.review_comment = comment
    version.reviewed_by, version.reviewed_at = user, timezone.now()
    version.save()
    subplan.status = SubPlanStatus.RETURNED
    subplan.save(update_fields=["status", "updated_at"])
    _notify(
        subplan,
        version,
        messages.subplan_returned(
            unit=subplan.unit_name,
            round_title=subplan.round.title,
            comment=comment,
            deadline=subplan.round.deadline,
            today=timezone.localdate(),
        ),
    )
    return subplan

"""Writes of the follow-up: follow-up orders through their states, talks, and the monthly
bulletin (numbered, archived, sent to every member unit).

An order's states: issued → acknowledged (签收, by the unit) → answered (回复, by the unit) →
closed (办结, by the town office), or sent back (退回) by the town office to be answered again.
Any other move is refused.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import messages
from directory.constants import AccountRole
from directory.models import Department, User, Village
from directory.scoping import account_role
from directory.services.notifications import NotificationDraft, notifications_send
from directory.uploads import IMAGE_FORMATS, UploadRefused, scan_prepare, stored_name
from plan.followup.bulletins import bulletin_data, bulletin_pdf
from plan.followup.models import Bulletin, FollowUpOrder, FollowUpStatus, Talk
from plan.followup.numbers import document_number_take, document_number_text
from plan.tasklist.models import Task, TaskUnit
from reports.selectors.monthly import ReportingUnit, reporting_unit_of

# Largest evidence file a unit may attach to its answer.
ANSWER_FILE_MAX_BYTES = 20 * 1024 * 1024


def _town_office(user: User) -> None:
    if account_role(user) != AccountRole.TOWN_OFFICE:
        raise PermissionDenied(_("Only the town safety office does this."))


def _own_order(user: User, order: FollowUpOrder) -> None:
    unit = reporting_unit_of(user)
    if unit is None or getattr(order, f"{unit.kind}_id") != unit.pk:
        raise PermissionDenied(_("Only the unit the order was sent to acts on it."))


def _locked(order: FollowUpOrder, allowed: tuple, message: str) -> FollowUpOrder:
    order = FollowUpOrder.objects.select_for_update().get(pk=order.pk)
    if order.status not in allowed:
        raise ValidationError(message)
    return order


def _reporting_unit(order) -> ReportingUnit:
    kind = "department" if order.department_id else "village"
    return ReportingUnit(kind, getattr(order, f"{kind}_id"), order.unit.name)


def _order_link(order: FollowUpOrder) -> str:
    return reverse("plan_followup:order_detail", args=[order.pk])


def _town_officers() -> list[int]:
    return list(
        User.objects.filter(is_active=True, role=AccountRole.TOWN_OFFICE).values_list(
            "pk", flat=True
        )
    )


def _send(recipients, *, key: str, message: messages.Message, link: str) -> int:
    return notifications_send(
        drafts=[NotificationDraft(pk, key, message.title, message.body, link) for pk in recipients]
    )


@transaction.atomic
def follow_up_issue(
    *,
    user: User,
    task: Task,
    department: Department | None = None,
    village: Village | None = None,
    requirement: str,
    deadline: datetime.date,
    today: datetime.date | None = None,
) -> FollowUpOrder:
    """Issue a numbered order to a unit that leads or cooperates on the task, and tell its
    officers."""
    _town_office(user)
    today = today or timezone.localdate()
    if (department is None) == (village is None):
        raise ValidationError({"department": _("Choose one department or one village.")})
    unit_filter = {"department": department} if department else {"village": village}
    if not TaskUnit.objects.filter(task=task, **unit_filter).exists():
        raise ValidationError(
            {
                "task": _("%(unit)s has no part in the task %(task)s.")
                % {"unit": department or village, "task": task}
            }
        )
    if not requirement.strip():
        raise ValidationError({"requirement": _("Say what the unit has to do.")})
    if deadline < today:
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    sequence = document_number_take(kind="follow_up", year=today.year)
    order = FollowUpOrder.objects.create(
        number=document_number_text("follow_up", today.year, sequence),
        task=task,
        department=department,
        village=village,
        requirement=requirement.strip(),
        deadline=deadline,
        issued_by=user,
    )
    message = messages.follow_up_issued(
        number=order.number,
        unit=order.unit.name,
        task=task.title,
        requirement=order.requirement,
        deadline=deadline,
    )
    officers = _reporting_unit(order).officers().values_list("pk", flat=True)
    _send(officers, key=f"follow-up:{order.pk}:issued", message=message, link=_order_link(order))
    return order


@transaction.atomic
def follow_up_acknowledge(*, user: User, order: FollowUpOrder) -> FollowUpOrder:
    _own_order(user, order)
    order = _locked(
        order, (FollowUpStatus.ISSUED,), _("Only an order just issued can be acknowledged.")
    )
    order.status = FollowUpStatus.ACKNOWLEDGED
    order.acknowledged_by, order.acknowledged_at = user, timezone.now()
    order.save()
    return order


@transaction.atomic
def follow_up_answer(
    *, user: User, order: FollowUpOrder, answer: str, upload=None
) -> FollowUpOrder:
    """The unit's answer, with an optional evidence file (a PDF or a picture, kept private)."""
    _own_order(user, order)
    order = _locked(
        order,
        (FollowUpStatus.ACKNOWLEDGED, FollowUpStatus.RETURNED),
        _(
            "Acknowledge the order before answering it; an answered or closed order is not "
            "answered again."
        ),
    )
    if not answer.strip():
        raise ValidationError({"answer": _("Write what the unit has done.")})
    if upload is not None:
        if upload.size > ANSWER_FILE_MAX_BYTES:
            raise ValidationError({"answer_file": _("The file is larger than 20 MB.")})
        try:
            content_type, data = scan_prepare(upload, image_formats=IMAGE_FORMATS)
        except UploadRefused as refused:
            raise ValidationError(
                {
                    "answer_file": _("%(name)s: %(reason)s")
                    % {"name": upload.name, "reason": refused.message}
                }
            ) from None
        if order.answer_file:
            order.answer_file.delete(save=False)
        order.answer_file.save(stored_name(content_type), ContentFile(data), save=False)
    order.answer = answer.strip()
    order.status = FollowUpStatus.ANSWERED
    order.answered_by, order.answered_at = user, timezone.now()
    order.save()
    message = messages.follow_up_answered(
        number=order.number, unit=order.unit.name, task=order.task.title
    )
    key = f"follow-up:{order.pk}:answered:{order.answered_at:%Y%m%d%H%M%S%f}"
    _send(_town_officers(), key=key, message=message, link=_order_link(order))
    return order


@transaction.atomic
def follow_up_close(*, user: User, order: FollowUpOrder) -> FollowUpOrder:
    _town_office(user)
    order = _locked(order, (FollowUpStatus.ANSWERED,), _("Only an answered order can be closed."))
    order.status = FollowUpStatus.CLOSED
    order.closed_by, order.closed_at = user, timezone.now()
    order.save()
    return order


@transaction.atomic
def follow_up_return(
    *, user: User, order: FollowUpOrder, comment: str, deadline: datetime.date | None = None
) -> FollowUpOrder:
    """Send an answer back with the reason (and, if given, a new deadline); the unit answers
    again."""
    _town_office(user)
    order = _locked(
        order, (FollowUpStatus.ANSWERED,), _("Only an answered order can be sent back.")
    )
    if not comment.strip():
        raise ValidationError({"return_comment": _("Say why the answer is sent back.")})
    order.status = FollowUpStatus.RETURNED
    order.return_comment = comment.strip()
    if deadline is not None:
        order.deadline = deadline
    order.save()
    message = messages.follow_up_returned(
        number=order.number,
        unit=order.unit.name,
        comment=order.return_comment,
        deadline=order.deadline,
    )
    officers = _reporting_unit(order).officers().values_list("pk", flat=True)
    key = f"follow-up:{order.pk}:returned:{timezone.now():%Y%m%d%H%M%S%f}"
    _send(officers, key=key, message=message, link=_order_link(order))
    return order


@transaction.atomic
def talk_record(
    *,
    user: User,
    held_on: datetime.date,
    interviewees: str,
    interviewers: str,
    subject: str,
    outcome: str,
    department: Department | None = None,
    village: Village | None = None,
    task: Task | None = None,
) -> Talk:
    _town_office(user)
    if (department is None) == (village is None):
        raise ValidationError({"department": _("Choose one department or one village.")})
    talk = Talk(
        held_on=held_on,
        interviewees=interviewees.strip(),
        interviewers=interviewers.strip(),
        subject=subject.strip(),
        outcome=outcome.strip(),
        department=department,
        village=village,
        task=task,
        recorded_by=user,
    )
    talk.full_clean(exclude=["recorded_by"])
    talk.save()
    return talk


def bulletin_generate(
    *, user: User, year: int, month: int, today: datetime.date | None = None
) -> Bulletin:
    """Build the month's bulletin, number it, keep the PDF privately and tell every member unit.

    One bulletin per month: a second one for the same month is refused (the first keeps its
    number). The number is taken, the PDF drawn and the row stored in one transaction: a
    bulletin that fails gives its number back, so the year's numbers have no gaps.
    """
    _town_office(user)
    today = today or timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise ValidationError({"month": _("A bulletin cannot be issued for a month to come.")})
    existing = Bulletin.objects.filter(year=year, month=month).first()
    if existing is not None:
        raise ValidationError(
            {
                "month": _("The bulletin of this month was issued already: %(number)s")
                % {"number": existing.number}
            }
        )
    data = bulletin_data(year=year, month=month, today=today)
    with transaction.atomic():
        sequence = document_number_take(kind="bulletin", year=today.year)
        number = document_number_text("bulletin", today.year, sequence)
        bulletin = Bulletin(
            year=year,
            month=month,
            issue_year=today.year,
            sequence=sequence,
            number=number,
            praised=[u.unit.name for u in data.praised],
            lagging=[u.unit.name for u in data.lagging],
            generated_by=user,
        )
        pdf = bulletin_pdf(data, number=number, issued_on=today)
        bulletin.file.save(
            f"bulletin-{year}-{month:02d}-{sequence}.pdf", ContentFile(pdf), save=False
        )
        try:
            with transaction.atomic():
                bulletin.save()
        except IntegrityError:
            # Two clicks at once: the other one stored the month's bulletin first.
            bulletin.file.delete(save=False)
            raise ValidationError(
                {"month": _("The bulletin of this month was issued already.")}
            ) from None
        _bulletin_send(bulletin)
    return bulletin


def _bulletin_send(bulletin: Bulletin) -> int:
    message = messages.bulletin_issued(
        number=bulletin.number, year=bulletin.year, month=bulletin.month
    )
    # Every department's and village's officers (the town office issues it).
    recipients = User.objects.filter(is_active=True).filter(
        Q(
            role=AccountRole.DEPARTMENT_OFFICER,
            department__isnull=False,
            department__is_town_office=False,
        )
        | Q(role=AccountRole.VILLAGE_OFFICER, village__isnull=False)
    )
    link = reverse("plan_followup:bulletin_file", args=[bulletin.pk])
    return _send(
        recipients.values_list("pk", flat=True),
        key=f"bulletin:{bulletin.pk}",
        message=message,
        link=link,
    )

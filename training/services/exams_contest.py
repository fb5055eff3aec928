"""The safety-month knowledge contest: public participants, a daily quota, a random paper each time."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.identifiers import normalize_text, phone_validate
from training.models import Attempt, AttemptStatus, ContestParticipant, Exam, ExamKind
from training.services.exams_attempts import _attempt_create, attempt_close_if_expired


@transaction.atomic
def contest_join(
    *, exam: Exam, name: str, phone: str, enterprise=None, village=None, department=None
) -> ContestParticipant:
    """The participant of this phone number (their name and unit updated), for a contest only."""
    if exam.kind != ExamKind.CONTEST:
        raise PermissionDenied(_("This exam is not a public contest."))
    name = normalize_text(name)
    if not name:
        raise ValidationError({"name": _("Enter your name.")})
    if not (enterprise or village or department):
        raise ValidationError({"enterprise": _("Choose your enterprise, village or department.")})
    phone = phone_validate(phone)
    participant, _created = ContestParticipant.objects.update_or_create(
        exam=exam,
        phone=phone,
        defaults={
            "name": name[:50],
            "enterprise": enterprise,
            "village": village,
            "department": department,
        },
    )
    return participant


def contest_attempt_start(
    *, participant: ContestParticipant, now: datetime.datetime | None = None
) -> Attempt:
    """The participant's attempt in progress, or a new random paper within today's quota."""
    now = now or timezone.now()
    exam = participant.exam
    current = participant.attempts.filter(status=AttemptStatus.STARTED).first()
    if current is not None:
        current = attempt_close_if_expired(attempt=current, now=now)
        if current.is_open:
            return current
    if not (exam.opens_at <= now < exam.closes_at):
        raise PermissionDenied(_("This exam is not open now."))
    with transaction.atomic():
        # Lock the participant so two tabs cannot both take the last attempt of the day.
        ContestParticipant.objects.select_for_update().get(pk=participant.pk)
        today = timezone.localdate(now)
        start_of_day = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
        taken = participant.attempts.filter(started_at__gte=start_of_day).count()
        if taken >= exam.daily_quota:
            raise PermissionDenied(
                _("You have used today's %(n)d attempts; come back tomorrow.")
                % {"n": exam.daily_quota}
            )
        open_one = participant.attempts.filter(status=AttemptStatus.STARTED).first()
        if open_one is not None:
            return open_one
        return _attempt_create(
            exam=exam, now=now, number=participant.attempts.count() + 1, participant=participant
        )

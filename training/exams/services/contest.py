"""The safety-month knowledge contest: public participants, a daily quota, a random paper each time.

A logged-in person of the registry joins as themself (contest_join_person); anyone else starts a
new participant each time they join (contest_join), limited per client address and per phone.
The browser that joined holds the participant (training.exams.views.contest_cookie).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.identifiers import normalize_text, phone_mask, phone_validate
from directory.models import Person
from directory.throttle import limit_passed
from training.exams.models.attempts import Attempt, AttemptStatus, ContestParticipant
from training.exams.models.papers import Exam, ExamKind
from training.exams.services.attempts import _attempt_create, attempt_close_if_expired

# The join limits' windows (their sizes are settings: CONTEST_JOINS_PER_ADDRESS / _PER_PHONE).
ADDRESS_WINDOW_SECONDS = 60 * 60
PHONE_WINDOW_SECONDS = 24 * 60 * 60


class ContestJoinLimited(PermissionDenied):
    """Too many new participants from one address or with one phone number: nothing was created."""


def _unit_required(enterprise, village, department) -> None:
    if not (enterprise or village or department):
        raise ValidationError({"enterprise": _("Choose your enterprise, village or department.")})


def _contest_open(exam: Exam) -> None:
    if exam.kind != ExamKind.CONTEST:
        raise PermissionDenied(_("This exam is not a public contest."))
    if not (exam.opens_at <= timezone.now() < exam.closes_at):
        raise PermissionDenied(_("This exam is not open now."))


def _join_limits_check(*, exam: Exam, phone: str, address: str | None) -> None:
    per_address = settings.CONTEST_JOINS_PER_ADDRESS
    if address is not None and limit_passed(
        f"contest-join:{exam.pk}:address:{address}",
        limit=per_address,
        seconds=ADDRESS_WINDOW_SECONDS,
    ):
        raise ContestJoinLimited(
            _(
                "Too many people joined from this network in the last hour (at most %(n)d an "
                "hour). Try again later, or log in with your learner account to join as yourself."
            )
            % {"n": per_address}
        )
    per_phone = settings.CONTEST_JOINS_PER_PHONE
    if limit_passed(
        f"contest-join:{exam.pk}:phone:{phone}", limit=per_phone, seconds=PHONE_WINDOW_SECONDS
    ):
        raise ContestJoinLimited(
            _(
                "The mobile number %(phone)s has joined %(n)d times today, the most allowed. "
                "Continue in the browser where you joined first, or come back tomorrow."
            )
            % {"phone": phone_mask(phone), "n": per_phone}
        )


def contest_join(
    *,
    exam: Exam,
    name: str,
    phone: str,
    enterprise=None,
    village=None,
    department=None,
    address: str | None = None,
) -> ContestParticipant:
    """A new participant for a visitor without a registry account, always a new one: typing a
    phone number somebody joined with before reaches neither their name nor their results.

    `address` is the client's (None for the demo data): joins are counted per address and per
    phone number; past either limit ContestJoinLimited is raised and nothing is created.
    """
    _contest_open(exam)
    name = normalize_text(name)
    if not name:
        raise ValidationError({"name": _("Enter your name.")})
    _unit_required(enterprise, village, department)
    phone = phone_validate(phone)
    _join_limits_check(exam=exam, phone=phone, address=address)
    return ContestParticipant.objects.create(
        exam=exam,
        name=name[:50],
        phone=phone,
        enterprise=enterprise,
        village=village,
        department=department,
    )


@transaction.atomic
def contest_join_person(*, exam: Exam, person: Person) -> ContestParticipant:
    """The participant of a person of the registry: one per contest, with the registry's name,
    phone and unit (the employer and its village, or the person's department), whatever a form
    carried. Not counted against the join limits: a person cannot multiply themselves."""
    _contest_open(exam)
    employer = person.employer
    fields = {
        "name": person.name[:50],
        "phone": person.phone or "",
        "enterprise": employer,
        "village": employer.village if employer is not None else None,
        "department": person.department,
    }
    participant, _created = ContestParticipant.objects.update_or_create(
        exam=exam, person=person, defaults=fields
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

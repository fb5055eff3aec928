"""Writes of online learning: the player's heartbeats, the presence check, lesson completion.

Trust lies with the server. A heartbeat claims how many seconds were watched since the last
acknowledged one; the server credits at most the real time elapsed since the previous heartbeat
it accepted from that person (any lesson, any tab) and at most LEARNING_MAX_CREDIT_SECONDS.
So two tabs share one clock, a 40-minute video needs 40 minutes, and a lost response is made
up by the next heartbeat (the client keeps what was not acknowledged) without counting twice.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import CoursePage, LessonPage
from directory.models import Person
from training.learning.models.assignments import Enrolment
from training.learning.models.ledger import HourSource, StudyHourEntry
from training.learning.models.progress import LessonProgress, StudyClock
from training.learning.services import beats
from training.learning.services.assignments import enrolment_join


@dataclass(frozen=True)
class HeartbeatResult:
    """What the player shows after a heartbeat."""

    credited_now: float
    credited_seconds: float
    required_seconds: int
    position_seconds: float
    completed: bool
    presence_prompt: str

    def as_json(self) -> dict:
        return {
            "credited_now": round(self.credited_now, 1),
            "credited_seconds": round(self.credited_seconds, 1),
            "required_seconds": self.required_seconds,
            "position_seconds": round(self.position_seconds, 1),
            "completed": self.completed,
            "presence_prompt": self.presence_prompt,
        }


def completion_seconds(required: int) -> float:
    return required * float(settings.LEARNING_COMPLETION_SHARE)


def course_of(lesson: LessonPage) -> CoursePage:
    return CoursePage.objects.get(path=lesson.path[: -lesson.steplen])


def _presence_wanted(course: CoursePage) -> bool:
    return bool(settings.LEARNING_PRESENCE_CHECK or course.presence_check)


def presence_next_check_in() -> float:
    low = int(settings.LEARNING_PRESENCE_MIN_SECONDS)
    high = max(low, int(settings.LEARNING_PRESENCE_MAX_SECONDS))
    return float(low + secrets.randbelow(high - low + 1))


def presence_question() -> tuple[str, str]:
    """A prompt of the presence check and its answer."""
    a, b = 2 + secrets.randbelow(8), 2 + secrets.randbelow(8)
    return _("What is %(a)d + %(b)d?") % {"a": a, "b": b}, str(a + b)


def _ask(clock: StudyClock) -> None:
    clock.check_prompt, clock.check_answer = presence_question()
    clock.seconds_to_check = None


def _locked(model, **lookup):
    """The row locked for this transaction, made first if missing (concurrent makers agree)."""
    row = model.objects.select_for_update().filter(**lookup).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            model.objects.create(**lookup)
    except IntegrityError:
        pass  # another request made it meanwhile
    return model.objects.select_for_update().get(**lookup)


def _commit_without_waiting_for_disk() -> None:
    """Heartbeats are many and each is worth seconds: on PostgreSQL their commit does not wait
    for the WAL flush. A crash can lose well under a second of reports, which the next report
    makes up (credit follows the clock); a lost completion is completed again by the next one."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _progress_result(progress, lesson, credited_now, prompt) -> HeartbeatResult:
    return HeartbeatResult(
        credited_now=credited_now,
        credited_seconds=progress.credited_seconds,
        required_seconds=lesson.required_seconds(),
        position_seconds=progress.position_seconds,
        completed=progress.completed_at is not None,
        presence_prompt=prompt,
    )


def lesson_heartbeat(
    *,
    person: Person,
    lesson: LessonPage,
    position: float,
    watched: float,
    session: str,
    seq: int,
    now: datetime.datetime | None = None,
    generation: bytes | None = None,
) -> HeartbeatResult:
    """Apply one report of the player: resume position, credited time, completion.

    `generation`: services.beats.content_generation(), read before `lesson` was."""
    # What the Redis path credited (services/beats) into the rows first, committed on its own:
    # a report refused below (a closed course, say) loses none of it.
    beats.person_sync(person, remove=True)
    return _lesson_heartbeat(
        person=person,
        lesson=lesson,
        position=position,
        watched=watched,
        session=session,
        seq=seq,
        now=now or timezone.now(),
        generation=generation,
    )


@transaction.atomic
def _lesson_heartbeat(
    *, person, lesson, position, watched, session, seq, now, generation
) -> HeartbeatResult:
    _commit_without_waiting_for_disk()
    course = course_of(lesson)
    # Always the clock first, then the progress: one order, so two tabs never deadlock.
    clock = _locked(StudyClock, person=person)
    # What the Redis path credited since, if a state was put back meanwhile.
    beats.claim(person_id=person.pk, clock=clock)
    progress = (
        LessonProgress.objects.select_for_update().filter(person=person, lesson=lesson).first()
    )
    if progress is None:
        # The first report of a lesson: a closed course credits only those assigned to it;
        # an open one enrols whoever studies it. Later reports find the progress row instead.
        if not Enrolment.objects.filter(person=person, course=course).exists():
            enrolment_join(person=person, course=course)
        progress = _locked(LessonProgress, person=person, lesson=lesson)
    required = lesson.required_seconds()
    if session and session == progress.last_session and seq <= progress.last_seq:
        beats.seed(
            clock=clock, progress=progress, lesson=lesson, course=course, generation=generation
        )
        return _progress_result(progress, lesson, 0.0, clock.check_prompt)

    progress.position_seconds = min(max(0.0, float(position)), float(required))
    progress.last_session, progress.last_seq = session[:40], seq

    credit = 0.0
    if clock.last_beat_at and not clock.check_prompt:
        elapsed = (now - clock.last_beat_at).total_seconds()
        credit = max(0.0, min(float(watched), elapsed, float(settings.LEARNING_MAX_CREDIT_SECONDS)))
    if clock.last_beat_at is None or now > clock.last_beat_at:
        clock.last_beat_at = now
    if progress.completed_at is None:
        credit = min(credit, max(0.0, required - progress.credited_seconds))
        progress.credited_seconds += credit
    else:
        credit = 0.0

    if credit and _presence_wanted(course):
        if clock.seconds_to_check is None:
            clock.seconds_to_check = presence_next_check_in()
        clock.seconds_to_check -= credit
        if clock.seconds_to_check <= 0:
            _ask(clock)

    if progress.completed_at is None and progress.credited_seconds >= completion_seconds(required):
        progress.completed_at = now
        lesson_credit(person=person, lesson=lesson, course=course, when=now)
    clock.save(update_fields=["last_beat_at", "seconds_to_check", "check_prompt", "check_answer"])
    progress.save(
        update_fields=[
            "position_seconds",
            "credited_seconds",
            "completed_at",
            "last_session",
            "last_seq",
            "updated_at",
        ]
    )
    # Last, the clock still locked: this lesson's next reports are credited in Redis.
    beats.seed(clock=clock, progress=progress, lesson=lesson, course=course, generation=generation)
    return _progress_result(progress, lesson, credit, clock.check_prompt)


def lesson_credit(
    *, person: Person, lesson: LessonPage, course: CoursePage, when: datetime.datetime
) -> StudyHourEntry | None:
    """The ledger entry of a completed lesson, written once (a unique constraint holds it).

    It credits `lesson.credit_hours()`: the typed hours capped at what the content holds, read
    now, so a lesson saved with more hours than its video lasts credits only the video's length.
    A clip shorter than a tenth of a 学时 credits nothing and writes no entry (the ledger holds
    positive hours only).
    """
    hours = lesson.credit_hours()
    if hours <= 0:
        return None
    entry, _created = StudyHourEntry.objects.get_or_create(
        person=person,
        lesson=lesson,
        source=HourSource.ONLINE_LESSON,
        defaults={"course": course, "hours": hours, "date": timezone.localdate(when)},
    )
    return entry


@transaction.atomic
def presence_answer(*, person: Person, answer: str, now: datetime.datetime | None = None) -> None:
    """Answer the presence prompt; crediting resumes from now (time spent away is not credited)."""
    now = now or timezone.now()
    clock = _locked(StudyClock, person=person)
    beats.claim(person_id=person.pk, clock=clock)
    if not clock.check_prompt:
        return
    if str(answer).strip() != clock.check_answer:
        raise ValidationError(_("That is not the answer; try again."))
    clock.check_prompt = clock.check_answer = ""
    clock.seconds_to_check = presence_next_check_in()
    clock.last_beat_at = now
    clock.save()

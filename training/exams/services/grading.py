"""Grading an attempt: closed once (by the learner, by the clock or by the sweep), scored against
the questions' keys in one query, and rewarded (ledger hours, a certificate) when passed."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from training.exams.models.attempts import Attempt, AttemptStatus
from training.exams.models.banks import Question


def attempt_submit(
    *, attempt_id: int, auto: bool = False, now: datetime.datetime | None = None
) -> Attempt:
    """Close and grade the attempt once; a closed attempt is returned unchanged."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("exam")
            .get(pk=attempt_id)
        )
        if attempt.is_open:
            late = auto or now >= attempt.deadline
            status = AttemptStatus.AUTO_SUBMITTED if late else AttemptStatus.SUBMITTED
            attempt_grade(attempt, now=min(now, attempt.deadline) if late else now, status=status)
    exam = attempt.exam
    rewarded = exam.ledger_hours > 0 or bool(exam.certificate_title)
    if attempt.passed and attempt.person_id and rewarded:
        from training.exams.services.rewards import exam_pass_rewards

        exam_pass_rewards(attempt=attempt)
    return attempt


def _rankings_forget_on_commit(exam_id: int) -> None:
    """A contest result came in: the published rankings are recomputed on the next visit."""
    from training.exams.selectors.contest import contest_rankings_forget

    # Now and again after the commit: a visit in between may have stored the old rankings.
    contest_rankings_forget(exam_id=exam_id)
    transaction.on_commit(lambda: contest_rankings_forget(exam_id=exam_id), robust=True)


def attempt_close_if_expired(*, attempt: Attempt, now: datetime.datetime | None = None) -> Attempt:
    now = now or timezone.now()
    if attempt.is_open and now >= attempt.deadline:
        return attempt_submit(attempt_id=attempt.pk, auto=True, now=now)
    return attempt


def attempt_grade(attempt: Attempt, *, now, status: str) -> None:
    """Score the locked attempt: one query for the questions, one conditional update."""
    ids = [item["q"] for item in attempt.items]
    keys = dict(Question.objects.filter(pk__in=ids).values_list("pk", "answer"))
    results, score = {}, Decimal("0")
    for position, item in enumerate(attempt.items):
        right = attempt.answers.get(str(position)) == keys.get(item["q"])
        results[str(position)] = right
        if right:
            score += Decimal(item["s"])
    passed = score * 100 >= attempt.exam.pass_mark * attempt.max_score
    changed = Attempt.objects.filter(pk=attempt.pk, status=AttemptStatus.STARTED).update(
        status=status, submitted_at=now, results=results, score=score, passed=passed
    )
    if changed:
        attempt.status, attempt.submitted_at = status, now
        attempt.results, attempt.score, attempt.passed = results, score, passed
        if attempt.participant_id:
            _rankings_forget_on_commit(attempt.exam_id)


def attempts_expired_sweep(*, now: datetime.datetime | None = None) -> int:
    """Close every attempt whose time ran out (the browser may never come back)."""
    now = now or timezone.now()
    ids = list(
        Attempt.objects.filter(status=AttemptStatus.STARTED, deadline__lte=now).values_list(
            "pk", flat=True
        )
    )
    for attempt_id in ids:
        attempt_submit(attempt_id=attempt_id, auto=True, now=now)
    return len(ids)

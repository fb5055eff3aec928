"""Attempts that lose nothing: draw, start or resume, save each answer, submit once, grade.

The server holds everything: the drawn paper, each acknowledged answer, the deadline. An attempt
past its deadline is closed on the next access to it (and by the periodic sweep,
training.tasks.exam_attempts_sweep), so a browser that never comes back still gets its score.
Submitting twice (double click, retry, two tabs) grades once: the attempt row is locked and only
an attempt still in progress is graded.
"""

import datetime
import random
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Person
from training.exams.models.attempts import Attempt, AttemptStatus
from training.exams.models.banks import Question
from training.exams.models.papers import Exam, ExamKind, Paper
from training.exams.options import shown_to_own


def paper_draw(paper: Paper, *, rng: random.Random | None = None) -> list[dict]:
    """The paper as one attempt sees it: fixed questions, then each rule's draw, no repeats."""
    rng = rng or random.SystemRandom()
    items = [
        {"q": question_id, "s": str(score)}
        for question_id, score in paper.fixed_questions.values_list("question_id", "score")
    ]
    chosen = {item["q"] for item in items}
    for rule in paper.draw_rules.all():
        candidates = Question.objects.filter(bank_id=rule.bank_id, qtype=rule.qtype)
        if rule.category_id:
            candidates = candidates.filter(category_id=rule.category_id)
        pool = sorted(set(candidates.values_list("pk", flat=True)) - chosen)
        if len(pool) < rule.count:
            raise ValidationError(
                _("The bank has only %(n)d questions for the rule “%(rule)s”.")
                % {"n": len(pool), "rule": rule}
            )
        for question_id in rng.sample(pool, rule.count):
            chosen.add(question_id)
            items.append({"q": question_id, "s": str(rule.score)})
    sizes = dict(Question.objects.filter(pk__in=chosen).values_list("pk", "options"))
    for item in items:
        order = list(range(len(sizes[item["q"]])))
        if paper.shuffle_options:
            rng.shuffle(order)
        item["o"] = order
    return items


def attempt_deadline(exam: Exam, started_at: datetime.datetime) -> datetime.datetime:
    return min(started_at + datetime.timedelta(minutes=exam.duration_minutes), exam.closes_at)


def attempt_start(*, exam: Exam, person: Person, now: datetime.datetime | None = None) -> Attempt:
    """The person's attempt in progress (closed first if its time ran out), or a new one."""
    if exam.kind == ExamKind.CONTEST:
        # A contest is taken as its participant (contest_join_person), within its daily quota.
        raise PermissionDenied(_("A knowledge contest is taken from its own page."))
    now = now or timezone.now()
    current = Attempt.objects.filter(exam=exam, person=person, status=AttemptStatus.STARTED).first()
    if current is not None:
        current = attempt_close_if_expired(attempt=current, now=now)
        if current.is_open:
            return current
    if not (exam.opens_at <= now < exam.closes_at):
        raise PermissionDenied(_("This exam is not open now."))
    done = Attempt.objects.filter(exam=exam, person=person).aggregate(n=Max("number"))["n"] or 0
    if done >= exam.max_attempts:
        raise PermissionDenied(_("You have used all the attempts this exam allows."))
    try:
        with transaction.atomic():
            return _attempt_create(exam=exam, now=now, person=person, number=done + 1)
    except IntegrityError:
        # Two tabs started at once: the other one won; both continue the same attempt.
        return Attempt.objects.get(exam=exam, person=person, status=AttemptStatus.STARTED)


def _attempt_create(*, exam: Exam, now, number: int, person=None, participant=None) -> Attempt:
    items = paper_draw(exam.paper)
    return Attempt.objects.create(
        exam=exam,
        person=person,
        participant=participant,
        number=number,
        started_at=now,
        deadline=attempt_deadline(exam, now),
        items=items,
        max_score=sum((Decimal(item["s"]) for item in items), Decimal("0")),
    )


def attempt_answer_save(
    *,
    attempt_id: int,
    position: int,
    choice: str,
    marked: bool | None = None,
    now: datetime.datetime | None = None,
    among: QuerySet | None = None,
) -> Attempt:
    """Store one answer as given (the shown letters; "" clears it). Saving twice changes nothing.

    Past the deadline the attempt is closed and graded instead, and the answer is refused.
    `among` (the attempts the visitor may take) is checked in the same query that locks the row:
    Attempt.DoesNotExist when the attempt is not among them. Only the attempt's row is locked,
    never its exam's, so answers to one exam (a contest at its start) do not queue for one lock.
    """
    now = now or timezone.now()
    attempts = Attempt.objects.all() if among is None else among
    with transaction.atomic():
        attempt = attempts.select_for_update(of=("self",)).select_related("exam").get(pk=attempt_id)
        if attempt.is_open and now >= attempt.deadline:
            _grade(attempt, now=attempt.deadline, status=AttemptStatus.AUTO_SUBMITTED)
        if attempt.is_open:
            _answer_store(attempt, position, choice, marked)
    if not attempt.is_open:
        # Raised after the commit, so the closing above stays written.
        raise PermissionDenied(_("This attempt is closed; the answer was not saved."))
    return attempt


def _answer_store(attempt: Attempt, position: int, choice: str, marked: bool | None) -> None:
    if not 0 <= position < len(attempt.items):
        raise ValidationError(_("No such question."))
    key = str(position)
    own = shown_to_own(attempt.items[position], (choice or "").upper())
    if own:
        attempt.answers[key] = own
    else:
        attempt.answers.pop(key, None)
    if marked is not None:
        marks = set(attempt.marks)
        marks.add(position) if marked else marks.discard(position)
        attempt.marks = sorted(marks)
    attempt.save(update_fields=["answers", "marks"])


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
            _grade(attempt, now=min(now, attempt.deadline) if late else now, status=status)
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


def _grade(attempt: Attempt, *, now, status: str) -> None:
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

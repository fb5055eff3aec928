"""Attempts that lose nothing: drawing, resuming, saving answers, deadlines, submitting once,
grading in a constant number of queries, the ledger entry and certificate on passing."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from certificates.models import IssuedCertificate
from tests.factories.exams import (
    DrawnPaperFactory,
    ExamFactory,
    PaperFactory,
    QuestionBankFactory,
    right_answers_shown,
)
from training.exams.services.attempts import attempt_answer_save, attempt_start, paper_draw
from training.exams.services.grading import attempt_submit, attempts_expired_sweep
from training.models import Attempt, AttemptStatus, HourSource, Question, StudyHourEntry
from training.tasks import exam_attempts_sweep_task


def test_draw_rules_without_repeats_and_shuffled_options(db):
    bank = QuestionBankFactory(single=30, multiple=10, true_false=10)
    paper = DrawnPaperFactory(
        bank=bank, rules=[("single", 20, "2"), ("multiple", 5, "4"), ("true_false", 10, "4")]
    )
    items = paper_draw(paper, rng=random.Random(1))
    ids = [item["q"] for item in items]
    assert len(ids) == 35 == len(set(ids))
    assert sum(Decimal(i["s"]) for i in items) == 100
    orders = {tuple(item["o"]) for item in items if len(item["o"]) == 4}
    assert len(orders) > 1  # shuffled, not all in the bank's order
    other = paper_draw(paper, rng=random.Random(2))
    assert [i["q"] for i in other] != ids


def test_start_resumes_the_same_attempt_with_saved_answers(db, town):
    exam = ExamFactory(paper=PaperFactory(bank=QuestionBankFactory(single=5)))
    person = town["person_a"]
    attempt = attempt_start(exam=exam, person=person)
    attempt_answer_save(attempt_id=attempt.pk, position=0, choice="b", marked=True)
    attempt_answer_save(attempt_id=attempt.pk, position=0, choice="B")  # retried autosave
    again = attempt_start(exam=exam, person=person)
    assert again.pk == attempt.pk
    item = again.items[0]
    assert again.answers == {"0": "ABCD"[item["o"][1]]}
    assert again.marks == [0]
    assert Attempt.objects.count() == 1


def test_deadline_closes_on_next_access_and_refuses_late_answers(db, town):
    exam = ExamFactory(paper=PaperFactory(bank=QuestionBankFactory(single=4)), duration_minutes=10)
    attempt = attempt_start(exam=exam, person=town["person_a"])
    shown = right_answers_shown(attempt)
    attempt_answer_save(attempt_id=attempt.pk, position=0, choice=shown[0])
    late = attempt.deadline + datetime.timedelta(seconds=1)
    with pytest.raises(PermissionDenied):
        attempt_answer_save(attempt_id=attempt.pk, position=1, choice=shown[1], now=late)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.AUTO_SUBMITTED
    assert attempt.score == 1 and attempt.answers.keys() == {"0"}
    assert attempt.submitted_at == attempt.deadline


def test_sweep_closes_abandoned_attempts(db, town):
    exam = ExamFactory(paper=PaperFactory(bank=QuestionBankFactory(single=4)), duration_minutes=10)
    attempt = attempt_start(exam=exam, person=town["person_a"])
    open_one = attempt_start(
        exam=ExamFactory(paper=exam.paper, title="另一场"), person=town["person_b"]
    )
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=attempt.deadline - datetime.timedelta(hours=1)
    )
    exam_attempts_sweep_task.delay()
    attempt.refresh_from_db()
    open_one.refresh_from_db()
    assert attempt.status == AttemptStatus.AUTO_SUBMITTED and attempt.score == 0
    assert open_one.status == AttemptStatus.STARTED
    assert attempts_expired_sweep() == 0


def test_submit_is_idempotent_and_attempts_are_limited(db, town):
    exam = ExamFactory(
        paper=PaperFactory(bank=QuestionBankFactory(single=5), score="20"), max_attempts=1
    )
    person = town["person_a"]
    attempt = attempt_start(exam=exam, person=person)
    for position, choice in enumerate(right_answers_shown(attempt)[:4]):
        attempt_answer_save(attempt_id=attempt.pk, position=position, choice=choice)
    first = attempt_submit(attempt_id=attempt.pk)
    assert first.status == AttemptStatus.SUBMITTED and first.score == 80 and first.passed
    submitted_at = first.submitted_at
    second = attempt_submit(attempt_id=attempt.pk)
    assert second.submitted_at == submitted_at and second.score == 80
    with pytest.raises(PermissionDenied):
        attempt_answer_save(attempt_id=attempt.pk, position=4, choice="A")
    with pytest.raises(PermissionDenied):
        attempt_start(exam=exam, person=person)


def test_pass_mark_is_eighty_of_a_hundred(db, town):
    exam = ExamFactory(paper=PaperFactory(bank=QuestionBankFactory(single=10), score="10"))
    assert exam.pass_mark == 80
    attempt = attempt_start(exam=exam, person=town["person_a"])
    for position, choice in enumerate(right_answers_shown(attempt)[:7]):
        attempt_answer_save(attempt_id=attempt.pk, position=position, choice=choice)
    graded = attempt_submit(attempt_id=attempt.pk)
    assert graded.score == 70 and graded.passed is False


def test_grading_a_hundred_questions_takes_constant_queries(
    db, town, django_assert_max_num_queries
):
    exam = ExamFactory(
        paper=DrawnPaperFactory(
            bank=QuestionBankFactory(single=60, multiple=30, true_false=20),
            rules=[("single", 50, "1"), ("multiple", 30, "1"), ("true_false", 20, "1")],
        )
    )
    attempt = attempt_start(exam=exam, person=town["person_a"])
    keys = dict(Question.objects.values_list("pk", "answer"))
    Attempt.objects.filter(pk=attempt.pk).update(
        answers={str(p): keys[item["q"]] for p, item in enumerate(attempt.items)} | {"0": "Z"}
    )
    with django_assert_max_num_queries(5):
        graded = attempt_submit(attempt_id=attempt.pk)
    assert graded.score == 99 and graded.max_score == 100 and graded.passed


def test_passing_writes_the_ledger_once_and_issues_the_certificate(db, town):
    exam = ExamFactory(
        paper=PaperFactory(bank=QuestionBankFactory(single=5), score="20"),
        max_attempts=3,
        ledger_hours=Decimal("4"),
        certificate_title="主要负责人安全生产知识和管理能力考核合格",
        certificate_valid_years=3,
    )
    person = town["person_a"]
    for _round in range(2):
        attempt = attempt_start(exam=exam, person=person)
        for position, choice in enumerate(right_answers_shown(attempt)):
            attempt_answer_save(attempt_id=attempt.pk, position=position, choice=choice)
        attempt_submit(attempt_id=attempt.pk)
        attempt_submit(attempt_id=attempt.pk)
    entries = StudyHourEntry.objects.filter(person=person, source=HourSource.EXAM)
    assert [e.hours for e in entries] == [Decimal("4")]
    certificates = IssuedCertificate.objects.filter(holder=person)
    assert certificates.count() == 1
    assert certificates.get().valid_until.year == certificates.get().issued_on.year + 3


def test_exam_closed_or_not_yet_open_refuses_start(db, town):
    exam = ExamFactory(paper=PaperFactory(bank=QuestionBankFactory(single=2)))
    exam.opens_at = exam.closes_at - datetime.timedelta(minutes=1)
    exam.save()
    with pytest.raises(PermissionDenied):
        attempt_start(exam=exam, person=town["person_a"])

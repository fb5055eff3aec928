"""我的考试 over HTTP: the list, starting, the attempt page without answers, autosave JSON
(CSRF, idempotent, refused once closed), submit by form (twice), results as review allows."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from directory.constants import AccountRole
from tests.factories.exams import (
    ExamFactory,
    PaperFactory,
    QuestionBankFactory,
    right_answers_shown,
)
from training.models import Attempt, AttemptStatus, Question

SECRET = "解析秘密内容XYZ"


@pytest.fixture
def exam(db):
    bank = QuestionBankFactory(single=4, multiple=1)
    Question.objects.update(explanation=SECRET)
    return ExamFactory(paper=PaperFactory(bank=bank, score="20"), review="after_submit")


@pytest.fixture
def learner(client, accounts):
    client.force_login(accounts[AccountRole.LEARNER])
    return client


def _start(client, exam):
    response = client.post(reverse("exams:start", args=[exam.pk]))
    assert response.status_code == 302
    return Attempt.objects.get(exam=exam)


def _answer(client, attempt, position, choice, **extra):
    return client.post(
        reverse("exams:answer", args=[attempt.pk]),
        json.dumps({"position": position, "choice": choice, **extra}),
        content_type="application/json",
    )


def test_list_start_page_carries_no_answers(learner, exam):
    page = learner.get(reverse("exams:mine"))
    assert exam.title in page.content.decode()
    attempt = _start(learner, exam)
    html = learner.get(reverse("exams:attempt", args=[attempt.pk])).content.decode()
    assert "单选题0" in html and "多选题0" in html
    assert SECRET not in html
    assert "data-answer=" not in html and "data-right" not in html
    reply = _answer(learner, attempt, 0, right_answers_shown(attempt)[0])
    assert reply.status_code == 200
    assert SECRET not in reply.content.decode() and "right" not in reply.json()


def test_autosave_is_idempotent_and_the_page_shows_saved_answers(learner, exam):
    attempt = _start(learner, exam)
    for _ in range(2):
        assert _answer(learner, attempt, 4, "BD", marked=True).json()["saved"]
    attempt.refresh_from_db()
    html = learner.get(reverse("exams:attempt", args=[attempt.pk])).content.decode()
    assert html.count(" checked") == 3  # two options and the review mark
    assert attempt.marks == [4]
    assert _answer(learner, attempt, 99, "A").status_code == 400
    assert _answer(learner, attempt, 0, "Q").status_code == 400


def test_autosave_needs_csrf(accounts, town, exam):
    from training.exams.services.attempts import attempt_start

    attempt = attempt_start(exam=exam, person=town["person_a"])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(accounts[AccountRole.LEARNER])
    assert _answer(strict, attempt, 0, "A").status_code == 403
    attempt.refresh_from_db()
    assert attempt.answers == {}


def test_submit_form_twice_grades_once_and_shows_review(learner, exam):
    attempt = _start(learner, exam)
    shown = right_answers_shown(attempt)
    data = {f"q{p}": list(shown[p]) for p in range(4)}
    first = learner.post(reverse("exams:submit", args=[attempt.pk]), data)
    assert first.status_code == 302
    second = learner.post(reverse("exams:submit", args=[attempt.pk]), {"q4": list(shown[4])})
    assert second.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.score == 80
    result = learner.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert "80.0 / 100.0" in result and "合格" in result and SECRET in result
    closed = _answer(learner, attempt, 4, shown[4])
    assert closed.status_code == 409


def test_formal_review_waits_for_the_close(learner, exam):
    exam.review = "after_close"
    exam.save()
    attempt = _start(learner, exam)
    learner.post(reverse("exams:submit", args=[attempt.pk]))
    result = learner.get(reverse("exams:result", args=[attempt.pk])).content.decode()
    assert SECRET not in result, result[result.find(SECRET) - 300 :]
    assert "考试结束后" in result


def test_practice_mode_gives_feedback_per_answer(learner, exam):
    exam.mode = "practice"
    exam.save()
    attempt = _start(learner, exam)
    right = right_answers_shown(attempt)[0]
    wrong = next(letter for letter in "ABCD" if letter != right)
    reply = _answer(learner, attempt, 0, wrong).json()
    assert reply["feedback"] == {"correct": False, "right": right, "explanation": SECRET}


def test_others_attempts_are_hidden(client, accounts, town, exam):
    from training.exams.services.attempts import attempt_start

    attempt = attempt_start(exam=exam, person=town["person_b"])
    client.force_login(accounts[AccountRole.LEARNER])
    assert client.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 404
    assert _answer(client, attempt, 0, "A").status_code == 404

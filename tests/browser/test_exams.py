"""A learner sits an exam on a phone: answers, reloads mid-exam (answers and time come back from
the server), goes on, confirms the submit, sees the score."""

import pytest

from tests.browser.conftest import log_in
from tests.factories.exams import (
    ExamFactory,
    PaperFactory,
    QuestionBankFactory,
    right_answers_shown,
)
from training.models import Attempt, AttemptStatus

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def choose(page, position, letters):
    for letter in letters:
        page.check(f"#q-{position} input[value={letter}]")


def test_start_answer_reload_submit_score(live_server, phone, accounts, town):
    exam = ExamFactory(
        paper=PaperFactory(bank=QuestionBankFactory(single=4, multiple=1), score="20")
    )
    log_in(phone, live_server, "learner", next_url="/exams/")
    phone.click("text=开始或继续答题")
    phone.wait_for_selector("[data-exam-attempt]")
    attempt = Attempt.objects.get(exam=exam)
    shown = right_answers_shown(attempt)

    choose(phone, 0, shown[0])
    phone.wait_for_selector("[data-save-status]:text-is('已保存')")
    phone.click("[data-next]")
    choose(phone, 1, shown[1])
    phone.check("#q-1 [data-mark]")
    # The server acknowledged both saves before the page goes away.
    for _ in range(50):
        attempt.refresh_from_db()
        if len(attempt.answers) == 2 and attempt.marks == [1]:
            break
        phone.wait_for_timeout(100)
    assert len(attempt.answers) == 2 and attempt.marks == [1]
    phone.wait_for_selector("[data-save-status]:text-is('已保存')")

    phone.reload()
    phone.wait_for_selector("[data-exam-attempt]")
    assert phone.is_checked(f"#q-0 input[value={shown[0]}]")
    assert phone.is_checked(f"#q-1 input[value={shown[1]}]")
    assert phone.is_checked("#q-1 [data-mark]")
    assert "answered" in phone.get_attribute("[data-goto='0']", "class")
    assert "marked" in phone.get_attribute("[data-goto='1']", "class")
    assert phone.inner_text("[data-countdown]").startswith(("29:", "30:"))

    for position in (2, 3):
        phone.click(f"[data-goto='{position}']")
        choose(phone, position, shown[position])
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.click("[data-submit]")
    phone.wait_for_selector("[data-result]")
    assert "80.0 / 100.0" in phone.inner_text("[data-score]")
    assert "合格" in phone.inner_text("[data-result]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.score == 80

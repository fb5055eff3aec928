"""Organisers' results: pass rate by best attempt, per enterprise, scoped to the people the
viewer sees; item statistics (share right, discrimination); the XLSX export."""

import io

import openpyxl
import pytest
from django.urls import reverse

from directory.constants import AccountRole
from tests.factories import PersonFactory
from tests.factories.exams import (
    ExamFactory,
    PaperFactory,
    QuestionBankFactory,
    right_answers_shown,
)
from training.exams.selectors.results import exam_results
from training.exams.services.attempts import attempt_answer_save, attempt_start
from training.exams.services.grading import attempt_submit
from training.models import Question


def sit(exam, person, right_positions):
    attempt = attempt_start(exam=exam, person=person)
    shown = right_answers_shown(attempt)
    for position in range(len(shown)):
        choice = shown[position]
        if position not in right_positions:
            choice = next(letter for letter in "ABCD" if letter not in shown[position])
        attempt_answer_save(attempt_id=attempt.pk, position=position, choice=choice)
    return attempt_submit(attempt_id=attempt.pk)


@pytest.fixture
def sat(town):
    """Five questions of 20; question 4 (index 4 of the bank) is answered right only by the weak."""
    bank = QuestionBankFactory(single=5)
    exam = ExamFactory(
        paper=PaperFactory(bank=bank, score="20", shuffle_options=False), max_attempts=2
    )
    first_q = bank.questions.order_by("pk").first().pk
    strong = [PersonFactory(name=f"强{i}", employer=town["ent_a"]) for i in range(4)]
    weak = [PersonFactory(name=f"弱{i}", employer=town["ent_b"]) for i in range(4)]
    for person in strong:
        sit(exam, person, {0, 1, 2, 3})  # 80: passed
    for person in weak:
        sit(exam, person, {4})  # 20: failed
    sit(exam, weak[0], {0, 4})  # a second, better try: still failed (40)
    return {"exam": exam, "first_q": first_q, "strong": strong, "weak": weak}


def test_pass_rate_per_enterprise_and_items(accounts, town, sat):
    results = exam_results(exam=sat["exam"], user=accounts[AccountRole.TOWN_OFFICE])
    assert (results.overall.takers, results.overall.passed) == (8, 4)
    units = {row.label: (row.takers, row.passed, row.average) for row in results.units}
    assert units["甲机械有限公司"] == (4, 4, 80)
    assert units["乙建设有限公司"] == (4, 0, 25)
    items = {row.stem: row for row in results.items}
    assert items["单选题0"].asked == 9 and items["单选题0"].right == 5
    assert items["单选题0"].discrimination > 0.5
    assert items["单选题4"].discrimination < 0  # the bad question comes first
    assert results.items[0].stem == "单选题4"


def test_results_are_scoped_to_visible_people(accounts, town, sat):
    officer = accounts[AccountRole.DEPARTMENT_OFFICER]  # department a leads enterprise a
    results = exam_results(exam=sat["exam"], user=officer)
    assert (results.overall.takers, results.overall.passed) == (4, 4)
    assert [row.label for row in results.units] == ["甲机械有限公司"]


def test_screen_and_xlsx(client, accounts, sat):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    Question.objects.filter(stem="单选题1").update(stem="=cmd|' /C calc'!A0")
    page = client.get(reverse("exam_results", args=[sat["exam"].pk]))
    assert page.status_code == 200
    assert "4 / 8" in page.content.decode() or "50%" in page.content.decode()
    response = client.get(reverse("exam_results", args=[sat["exam"].pk]), {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    people, units, items = book.worksheets
    assert people.max_row == 9
    assert [c.value for c in units[2]][:3] == ["全部", 8, 4]
    assert [c.value for c in units[3]][:3] == ["甲机械有限公司", 4, 4]
    stems = [row[0].value for row in items.iter_rows(min_row=2)]
    assert "'=cmd|' /C calc'!A0" in stems
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    assert client.get(reverse("exam_results", args=[sat["exam"].pk])).status_code in (302, 403)

"""Pages that show one person's data are kept by no cache (shared or the browser's back button)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from tests.factories.exams import ExamFactory, PaperFactory, QuestionBankFactory
from training.exams.services.attempts import attempt_start
from training.exams.services.grading import attempt_submit

pytestmark = pytest.mark.django_db

R = AccountRole


def _private(response):
    assert response.status_code == 200, response
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


@pytest.mark.parametrize(
    "name",
    [
        "directory:my_page",
        "directory:my_data",
        "directory:my_data_page",
        "directory:notifications",
        "learning:mine",
        "exams:mine",
        "sessions:mine",
        "certificates_mine:index",
    ],
)
def test_the_learners_own_pages(client, accounts, name):
    client.force_login(accounts[R.LEARNER])
    _private(client.get(reverse(name)))


def test_one_person_file_page_and_pdf(client, accounts, town):
    client.force_login(accounts[R.LEARNER])
    pk = town["person_a"].pk
    _private(client.get(reverse("dossiers:person", args=[pk])))
    _private(client.get(reverse("dossiers:person_pdf", args=[pk])))
    client.force_login(accounts[R.ENTERPRISE_MANAGER])
    _private(client.get(reverse("learning:enterprise_status")))


def test_one_enterprise_file_page_and_pdf(client, accounts, town):
    client.force_login(accounts[R.VILLAGE_OFFICER])
    pk = town["ent_a"].pk
    _private(client.get(reverse("dossiers:enterprise", args=[pk])))
    _private(client.get(reverse("dossiers:enterprise_pdf", args=[pk, timezone.localdate().year])))


def test_exam_results_of_a_learner(client, accounts, town):
    exam = ExamFactory(
        paper=PaperFactory(bank=QuestionBankFactory(single=2), score="50", shuffle_options=False)
    )
    attempt = attempt_start(exam=exam, person=town["person_a"])
    client.force_login(accounts[R.LEARNER])
    _private(client.get(reverse("exams:attempt", args=[attempt.pk])))
    attempt_submit(attempt_id=attempt.pk)
    _private(client.get(reverse("exams:result", args=[attempt.pk])))
    client.force_login(accounts[R.TOWN_OFFICE])
    _private(client.get(reverse("exam_results", args=[exam.pk])))

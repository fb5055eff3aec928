"""PIPL: a person fetches their own 一人一档 and a machine-readable copy of everything held about
them from the front office; the copy is logged in the export log; nobody else's data is in it."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from certificates.services.issued import certificate_issue
from directory.constants import AccountRole
from directory.models import ExportLogEntry
from directory.services import notification_send
from tests.factories.certificates import special_certificate
from tests.factories.exams import ExamFactory, PaperFactory, QuestionBankFactory
from training.exams.services.attempts import attempt_start
from training.exams.services.grading import attempt_submit
from training.learning.services.ledger import ledger_history_record

pytestmark = pytest.mark.django_db

LEARNER = AccountRole.LEARNER


@pytest.fixture
def held(town, accounts):
    """张三 (the learner's person) and 李四 each with hours, a certificate, an exam attempt."""
    for side in ("a", "b"):
        person = town[f"person_{side}"]
        ledger_history_record(
            user=accounts[AccountRole.TOWN_OFFICE],
            person=person,
            training_name=f"历史培训{side}",
            hours=Decimal("8"),
            date=datetime.date(2025, 6, 1),
        )
        certificate_issue(holder=person, title=f"合格证{side}", kind="officer", hours=8)
        special_certificate(person)
    exam = ExamFactory(
        paper=PaperFactory(bank=QuestionBankFactory(single=2), score="50"), title="危化品考核"
    )
    attempt_submit(attempt_id=attempt_start(exam=exam, person=town["person_a"]).pk)
    notification_send(recipient=accounts[LEARNER], key="hello", title="复审提醒")
    return town


def _download(client, accounts):
    client.force_login(accounts[LEARNER])
    response = client.get(reverse("directory:my_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def test_my_page_links_to_my_record_and_my_data(client, accounts, held):
    client.force_login(accounts[LEARNER])
    html = client.get(reverse("directory:my_page")).content.decode()
    assert reverse("dossiers:mine") in html and reverse("directory:my_data") in html
    record = client.get(reverse("dossiers:mine"), follow=True)
    assert record.status_code == 200 and "张三" in record.content.decode()
    pdf = client.get(reverse("dossiers:person_pdf", args=[held["person_a"].pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_download_holds_everything_about_the_person(client, accounts, held):
    data = _download(client, accounts)
    person = held["person_a"]
    assert data["person"]["name"] == "张三"
    assert data["person"]["id_number"] == person.id_number  # their own: whole
    assert data["person"]["phone"] == "13812345678"
    assert data["person"]["employer"]["name"] == "甲机械有限公司"
    assert data["account"]["username"] == "learner"
    held_rows = data["held"]
    assert [r["training_name"] for r in held_rows["training.studyhourentry"]["rows"]] == [
        "历史培训a"
    ]
    assert held_rows["certificates.issuedcertificate"]["rows"][0]["title"] == "合格证a"
    assert len(held_rows["certificates.registeredcertificate"]["rows"]) == 1
    assert held_rows["training.attempt"]["rows"][0]["exam"]["name"].startswith("危化品考核")
    assert "training.attendance" in held_rows
    assert [m["title"] for m in data["messages"]] == ["复审提醒"]
    # Nothing about anyone else.
    text = json.dumps(data, ensure_ascii=False)
    assert "李四" not in text and held["person_b"].id_number not in text
    assert "历史培训b" not in text and "合格证b" not in text


def test_the_download_is_in_the_export_log(client, accounts, held):
    data = _download(client, accounts)
    entry = ExportLogEntry.objects.get()
    assert entry.username == "learner" and entry.personal_data
    assert entry.rows == data["rows"] > 5


def test_without_a_person_there_is_nothing_to_download(client, accounts):
    client.force_login(accounts[AccountRole.EDITOR])
    assert client.get(reverse("directory:my_data")).status_code == 404
    assert not ExportLogEntry.objects.exists()
    client.logout()
    assert client.get(reverse("directory:my_data")).status_code == 302


def test_records_outlive_a_deletion_attempt(held):
    """Retention (regulations.md §7): a person with training records cannot be deleted."""
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        held["person_a"].delete()

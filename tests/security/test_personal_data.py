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
    assert reverse("dossiers:mine") in html and reverse("directory:my_data_page") in html
    page = client.get(reverse("directory:my_data_page")).content.decode()
    assert reverse("directory:my_data") in page and reverse("directory:my_data_xlsx") in page
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
    names = ("directory:my_data", "directory:my_data_xlsx", "directory:my_data_page")
    client.force_login(accounts[AccountRole.EDITOR])
    for name in names:
        assert client.get(reverse(name)).status_code == 404
    assert not ExportLogEntry.objects.exists()
    client.logout()
    for name in names:
        assert client.get(reverse(name)).status_code == 302


def test_the_page_shows_the_copy_readably_with_numbers_masked(client, accounts, held):
    client.force_login(accounts[LEARNER])
    response = client.get(reverse("directory:my_data_page"))
    assert response.status_code == 200
    html = response.content.decode()
    person = held["person_a"]
    for shown in ("登记信息", "姓名", "张三", "甲机械有限公司", "学时台账", "历史培训a", "合格证a"):
        assert shown in html, shown
    assert "危化品考核" in html and "复审提醒" in html and "我的消息" in html
    assert "138****5678" in html and "13812345678" not in html
    entry = html.split("登记信息</h2>")[1].split("</section>")[0]
    assert person.id_number not in entry and person.id_number[-4:] in entry
    assert "2025年6月1日" in html and "2025-06-01" not in html  # dates as the interface writes
    assert "training_name" not in html and '"rows"' not in html  # labels, not JSON keys
    assert "李四" not in html and "历史培训b" not in html
    assert not ExportLogEntry.objects.exists()  # reading on screen is not a download


def test_the_xlsx_holds_the_same_copy_and_is_logged(client, accounts, held):
    import io

    from openpyxl import load_workbook

    from directory.models import Person

    Person.objects.filter(pk=held["person_a"].pk).update(post='=HYPERLINK("x")')
    client.force_login(accounts[LEARNER])
    data = client.get(reverse("directory:my_data")).json()
    response = client.get(reverse("directory:my_data_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        "no-store" in response["Cache-Control"] and "attachment" in response["Content-Disposition"]
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "登记信息"
    facts = {row[0]: row[1] for row in book["登记信息"].iter_rows(min_row=2, values_only=True)}
    assert facts["姓名"] == "张三" and held["person_a"].id_number in facts.values()
    assert not any(str(value).startswith("=") for value in facts.values())  # formulas quoted
    ledger = book["学时台账"]
    headers = [cell.value for cell in ledger[1]]
    assert "培训名称" in headers and "training_name" not in headers
    assert "历史培训a" in [value for row in ledger.iter_rows(values_only=True) for value in row]
    json_log, xlsx_log = ExportLogEntry.objects.order_by("pk")
    assert xlsx_log.kind == "本人个人信息（XLSX）" and xlsx_log.personal_data
    assert xlsx_log.rows == json_log.rows == data["rows"]


def test_records_outlive_a_deletion_attempt(held):
    """Retention (regulations.md §7): a person with training records cannot be deleted."""
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        held["person_a"].delete()

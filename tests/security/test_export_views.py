"""Each generated file, as a user would meet it: formula text quoted, one export-log line with
the right kind, rows and whole-numbers flag, ID / phone numbers masked for a viewer who may not
see them whole, 404 / 403 out of scope, and the download headers (no-store, nosniff)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader
from wagtail.log_actions import log

from directory.constants import AccountRole
from directory.identifiers import id_number_mask, phone_mask
from directory.models import ExportLogEntry
from tests.export_helpers import export_get
from tests.factories import PersonFactory, UserFactory
from tests.factories.drills import DrillRecordFactory
from tests.factories.exams import ExamFactory, PaperFactory, QuestionBankFactory
from tests.factories.sessions import TrainingSessionFactory
from training.exams.services.attempts import attempt_start
from training.exams.services.grading import attempt_submit

pytestmark = pytest.mark.django_db

R = AccountRole
EVIL = "=cmd|' /C calc'!A0"


def _zh(text: str) -> str:
    with translation.override("zh-hans"):
        return gettext(text)


def _file(response, *, kind: str, rows: int, personal: bool, query: str | None = None):
    """The response is a file with the download headers and exactly one new log line."""
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].split(";")[0] in ("attachment", "inline")
    entry = ExportLogEntry.objects.get()
    assert (entry.kind, entry.rows, entry.personal_data) == (_zh(kind), rows, personal)
    if query is not None:
        assert query in entry.query
    entry.delete()
    return response


def _cells(response) -> list:
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    return [
        v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row
    ]


def _formulas(response) -> list:
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    return [c for s in book.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]


def _pdf_text(response) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.getvalue())).pages)


@pytest.fixture
def evil(town):
    town["person_a"].name = EVIL
    town["person_a"].save()
    return town["person_a"]


@pytest.fixture
def dept_b(town):
    return UserFactory(username="dept_b", role=R.DEPARTMENT_OFFICER, department=town["dept_b"])


def test_certification_gaps_xlsx(client, accounts, town):
    person = PersonFactory(name=EVIL, employer=town["ent_a"], is_special_operator=True)
    url = reverse("certification_gaps:export") + f"?enterprise={town['ent_a'].pk}"
    client.force_login(accounts[R.TOWN_OFFICE])
    response = _file(export_get(client, url), kind="Certification gaps", rows=1, personal=True)
    cells = _cells(response)
    assert "'" + EVIL in cells and person.id_number in cells and not _formulas(response)
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    cells = _cells(
        _file(export_get(client, url), kind="Certification gaps", rows=1, personal=False)
    )
    assert id_number_mask(person.id_number) in cells and person.id_number not in cells
    client.force_login(accounts[R.LEARNER])
    assert export_get(client, url).status_code in (302, 403)
    assert not ExportLogEntry.objects.exists()


def test_coverage_uncovered_people_xlsx(client, accounts, town, evil):
    url = reverse("coverage:uncovered", args=["training_hours"]) + "?format=xlsx"
    client.force_login(accounts[R.TOWN_OFFICE])
    response = export_get(client, url)
    entry = ExportLogEntry.objects.get()
    assert entry.kind.startswith(_zh("Not covered: %(metric)s").split("%")[0])
    kind = entry.kind
    cells = _cells(_file(response, kind=kind, rows=entry.rows, personal=True))
    assert entry.rows >= 2 and "'" + EVIL in cells and evil.phone in cells
    client.force_login(accounts[R.VILLAGE_OFFICER])
    response = export_get(client, url)
    cells = _cells(_file(response, kind=kind, rows=1, personal=False))
    assert phone_mask(evil.phone) in cells and evil.phone not in cells
    client.force_login(accounts[R.LEARNER])
    assert export_get(client, url).status_code in (302, 403, 404)
    assert not ExportLogEntry.objects.exists()


def test_enterprise_status_xlsx(client, accounts, town, evil):
    url = reverse("learning:enterprise_status")
    client.force_login(accounts[R.ENTERPRISE_MANAGER])
    response = client.get(url, {"format": "xlsx", "enterprise": town["ent_a"].pk})
    cells = _cells(_file(response, kind="Training status", rows=1, personal=False))
    assert "'" + EVIL in cells and not _formulas(response)
    out = client.get(url, {"format": "xlsx", "enterprise": town["ent_b"].pk})
    assert out.status_code == 404 and not ExportLogEntry.objects.exists()


def test_personal_record_pdf(client, accounts, town):
    person = town["person_a"]
    url = reverse("dossiers:person_pdf", args=[person.pk])
    client.force_login(accounts[R.TOWN_OFFICE])
    kind = "Personal training record (PDF)"
    assert person.id_number in _pdf_text(_file(client.get(url), kind=kind, rows=1, personal=True))
    client.force_login(accounts[R.VILLAGE_OFFICER])
    text = _pdf_text(_file(client.get(url), kind=kind, rows=1, personal=False))
    assert id_number_mask(person.id_number) in text and person.id_number not in text
    other = reverse("dossiers:person_pdf", args=[town["person_b"].pk])
    assert client.get(other).status_code == 404 and not ExportLogEntry.objects.exists()


def test_sign_in_sheet_pdf(client, accounts, town, dept_b):
    session = TrainingSessionFactory(
        organiser_department=town["dept_a"], invitees=[town["person_a"]]
    )
    url = reverse("session_sheet_pdf", args=[session.pk])
    person = town["person_a"]
    kind = "Printable sign-in sheet (PDF)"
    client.force_login(accounts[R.TOWN_OFFICE])
    assert person.id_number in _pdf_text(_file(client.get(url), kind=kind, rows=1, personal=True))
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    text = _pdf_text(_file(client.get(url), kind=kind, rows=1, personal=False))
    assert id_number_mask(person.id_number) in text and person.id_number not in text
    client.force_login(dept_b)
    assert client.get(url).status_code == 404 and not ExportLogEntry.objects.exists()


def test_exam_results_xlsx(client, accounts, town, evil):
    exam = ExamFactory(
        paper=PaperFactory(bank=QuestionBankFactory(single=2), score="50", shuffle_options=False)
    )
    attempt_submit(attempt_id=attempt_start(exam=exam, person=evil).pk)
    url = reverse("exam_results", args=[exam.pk]) + "?format=xlsx"
    client.force_login(accounts[R.TOWN_OFFICE])
    response = _file(client.get(url), kind="Exam results", rows=1, personal=True)
    cells = _cells(response)
    assert "'" + EVIL in cells and evil.id_number in cells and not _formulas(response)
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    cells = _cells(_file(client.get(url), kind="Exam results", rows=1, personal=False))
    assert id_number_mask(evil.id_number) in cells and evil.id_number not in cells
    client.force_login(accounts[R.ENTERPRISE_MANAGER])
    assert client.get(url).status_code in (302, 403, 404)
    assert not ExportLogEntry.objects.exists()


def test_inspectors_training_xlsx(client, accounts, town):
    town["inspector_a"].name = EVIL
    town["inspector_a"].save()
    url = reverse("session_inspectors") + "?format=xlsx"
    client.force_login(accounts[R.TOWN_OFFICE])
    kind = "Inspectors' centralized training"
    response = _file(client.get(url), kind=kind, rows=1, personal=False)
    assert "'" + EVIL in _cells(response) and not _formulas(response)
    client.force_login(accounts[R.LEARNER])
    assert client.get(url).status_code in (302, 403)
    assert not ExportLogEntry.objects.exists()


def test_drill_record_pdf(client, accounts, town, dept_b):
    record = DrillRecordFactory(enterprise=town["ent_a"])
    url = reverse("training:drill_record_pdf", args=[record.pk])
    client.force_login(accounts[R.ENTERPRISE_MANAGER])
    response = _file(client.get(url), kind="Drill record (PDF)", rows=1, personal=False)
    assert response.getvalue().startswith(b"%PDF")
    client.force_login(dept_b)
    assert client.get(url).status_code == 404 and not ExportLogEntry.objects.exists()


def test_issued_certificate_pdf(client, accounts, town):
    from certificates.services.issued import certificate_issue

    own, other = (
        certificate_issue(holder=town[p], title="安全培训", kind="officer", hours=8)
        for p in ("person_a", "person_b")
    )
    client.force_login(accounts[R.LEARNER])
    url = reverse("certificates_issued:download", args=[own.pk])
    response = _file(client.get(url), kind="Issued certificate (PDF)", rows=1, personal=False)
    assert response["Content-Disposition"].startswith("attachment")
    assert town["person_a"].id_number not in _pdf_text(response)
    assert client.get(reverse("certificates_issued:download", args=[other.pk])).status_code == 404
    assert not ExportLogEntry.objects.exists()


def test_registry_people_export_csv(client, accounts, town, evil):
    url = reverse("registry_people:index") + "?export=csv"
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    kind = str(evil._meta.verbose_name_plural)
    response = _file(export_get(client, url), kind=kind, rows=2, personal=False, query="export=csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert "'" + EVIL in cells and id_number_mask(evil.id_number) in cells
    assert evil.id_number not in cells


def test_import_template_is_sent_with_the_headers_and_not_logged(client, accounts):
    client.force_login(accounts[R.TOWN_OFFICE])
    response = client.get(reverse("directory_imports:template", args=["people", "xlsx"]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.max_row == 1
    assert not ExportLogEntry.objects.exists()


def test_my_data_json(client, accounts, town):
    client.force_login(accounts[R.LEARNER])
    response = client.get(reverse("directory:my_data"))
    assert response["Content-Type"] == "application/json"
    rows = response.json()["rows"]
    _file(response, kind="Own personal data (JSON)", rows=rows, personal=True)
    client.force_login(accounts[R.ENTERPRISE_MANAGER])  # no registry entry of their own
    assert client.get(reverse("directory:my_data")).status_code == 404


def test_wagtail_site_history_export_goes_through_the_path(client, accounts, town, evil):
    log(instance=evil, action="wagtail.edit", user=accounts[R.TOWN_OFFICE])
    client.force_login(accounts[R.TOWN_OFFICE])
    response = client.get(reverse("wagtailadmin_reports:site_history") + "?export=csv")
    entry = ExportLogEntry.objects.get()
    _file(response, kind=entry.kind, rows=entry.rows, personal=False)
    text = response.getvalue().decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert entry.rows >= 1 and "'" + EVIL in cells and EVIL not in cells

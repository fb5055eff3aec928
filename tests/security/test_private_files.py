"""Every stored file that holds personal data or belongs to a scope lives in the private storage
and is served only by a view that checks the viewer's scope: anonymous → login (or 404), out of
scope → 404, in scope → the file with its real type and the download headers. `/media/` never
serves it, even when an older install left a copy under MEDIA_ROOT."""

import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path as url_path
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

import config.urls
from certificates.models import CertificateBatch
from certificates.services.registry import certificate_attachment_add
from content.views.media import media_serve
from directory.constants import AccountRole
from directory.files import stored_files_move_to_private
from directory.models import ImportJob
from dossiers.models import DossierBatch
from reports.models import TownMonthlyReport
from tests.factories.certificates import special_certificate
from tests.factories.drills import DrillRecordFactory
from tests.factories.sessions import TrainingSessionFactory
from tests.upload_files import image_bytes, pdf_bytes, photo
from training.drills.models.entry import DrillSignature
from training.drills.services.follow_up import (
    corrective_action_close,
    corrective_action_create,
    drill_evidence_add,
)
from training.sessions.services.photos import session_photos_add

R = AccountRole
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"

# /media/ as `make run` wires it (config.urls adds it only when DEBUG).
urlpatterns = [url_path("media/<path:path>", media_serve), *config.urls.urlpatterns]


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class Stored:
    url: str
    field_file: object
    inside: R
    outside: R
    content_type: str
    inline: bool


def _import_file(town, accounts):
    job = ImportJob.objects.create(
        kind="people",
        file=ContentFile(xlsx_bytes(), name="张三 110101199003074578.xlsx"),
        original_name="张三 110101199003074578.xlsx",
        uploaded_by=accounts[R.DEPARTMENT_OFFICER],
        status=ImportJob.Status.CHECKED,
    )
    url = reverse("directory_imports:file", args=[job.pk])
    return Stored(url, job.file, R.DEPARTMENT_OFFICER, R.VILLAGE_OFFICER, XLSX, False)


def _scan(town, accounts, *, mine=False):
    side = "a" if mine else "b"
    scan = certificate_attachment_add(
        user=None,
        certificate=special_certificate(town[f"person_{side}"]),
        upload=SimpleUploadedFile("card.pdf", pdf_bytes()),
    )
    if mine:  # the holder's own page; another learner is out of scope
        url = reverse("certificates_mine:scan", args=[scan.pk])
        return Stored(url, scan.file, R.LEARNER, R.EDITOR, "application/pdf", True)
    url = reverse("certificate_scans:download", args=[scan.pk])
    return Stored(url, scan.file, R.TOWN_OFFICE, R.ENTERPRISE_MANAGER, "application/pdf", True)


def _batch_print(town, accounts):
    batch = CertificateBatch.objects.create(
        created_by=accounts[R.TOWN_OFFICE],
        format=CertificateBatch.Format.ZIP,
        status=CertificateBatch.Status.DONE,
        total=1,
        done=1,
    )
    batch.file.save("certificates.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    url = reverse("issued_certificates:batch_download", args=[batch.pk])
    return Stored(url, batch.file, R.TOWN_OFFICE, R.DEPARTMENT_OFFICER, "application/zip", False)


def _file_batch(town, accounts):
    batch = DossierBatch.objects.create(
        created_by=accounts[R.ENTERPRISE_MANAGER],
        enterprise=town["ent_a"],
        format=DossierBatch.Format.PDF,
        status=DossierBatch.Status.DONE,
        total=1,
        done=1,
    )
    batch.file.save("files.pdf", ContentFile(pdf_bytes()))
    url = reverse("dossiers:batch_download", args=[batch.pk])
    # A download even as a PDF: a batch is filed, not read in the browser.
    return Stored(
        url, batch.file, R.ENTERPRISE_MANAGER, R.VILLAGE_OFFICER, "application/pdf", False
    )


def _compiled_report(town, accounts):
    report = TownMonthlyReport.objects.create(year=2026, month=3)
    report.pdf.save("town-monthly-report-2026-03.pdf", ContentFile(pdf_bytes()))
    url = reverse("monthly_reports:download", args=[report.pk, "pdf"])
    return Stored(url, report.pdf, R.TOWN_OFFICE, R.VILLAGE_OFFICER, "application/pdf", False)


def _drill_evidence(town, accounts):
    record = DrillRecordFactory(enterprise=town["ent_a"])
    (evidence,) = drill_evidence_add(
        user=accounts[R.ENTERPRISE_MANAGER], record=record, uploads=[photo()]
    )
    url = reverse("training:evidence_file", args=[evidence.pk])
    return Stored(url, evidence.file, R.ENTERPRISE_MANAGER, R.LEARNER, "image/jpeg", True)


def _session_photo(town, accounts):
    from tests.factories import UserFactory

    officer_b = UserFactory(username="dept_b", role=R.DEPARTMENT_OFFICER, department=town["dept_b"])
    session = TrainingSessionFactory(
        organiser_department=town["dept_b"], invitees=[town["person_b"]]
    )
    (stored,) = session_photos_add(user=officer_b, session=session, uploads=[photo()])
    url = reverse("sessions:photo", args=[stored.pk])
    return Stored(url, stored.file, R.TOWN_OFFICE, R.DEPARTMENT_OFFICER, "image/jpeg", True)


def _action_evidence(town, accounts):
    record = DrillRecordFactory(enterprise=town["ent_b"])
    action = corrective_action_create(
        user=accounts[R.TOWN_OFFICE],
        record=record,
        problem="安全出口堵塞",
        owner="李四",
        due_date=record.date,
    )
    corrective_action_close(
        user=accounts[R.TOWN_OFFICE], action=action, note="已清理", evidence=photo()
    )
    action.refresh_from_db()
    url = reverse("training:action_evidence_file", args=[action.pk])
    return Stored(
        url, action.closing_evidence, R.TOWN_OFFICE, R.DEPARTMENT_OFFICER, "image/jpeg", True
    )


def _drill_signature(town, accounts):
    record = DrillRecordFactory(enterprise=town["ent_b"])
    signed = DrillSignature.objects.create(
        record=record,
        signer_name="李四",
        image=ContentFile(image_bytes("PNG"), name="signature.png"),
        signed_at=timezone.now(),
    )
    url = reverse("training:signature_file", args=[record.pk])
    return Stored(url, signed.image, R.TOWN_OFFICE, R.DEPARTMENT_OFFICER, "image/png", True)


def _task_evidence(town, accounts):
    from plan.models import TaskEvidence
    from plan.progress.services import ProgressEntry, progress_save
    from reports.services.monthly import monthly_report_start
    from tests.factories.plan import TaskFactory, TaskUnitFactory

    officer = accounts[R.DEPARTMENT_OFFICER]
    task = TaskFactory()
    TaskUnitFactory(task=task, department=town["dept_a"])
    report = monthly_report_start(user=officer, year=2026, month=3)
    upload = SimpleUploadedFile("进展 张三.pdf", pdf_bytes(), content_type="application/pdf")
    entry = ProgressEntry(task_id=task.pk, progress="推进中", uploads=[upload])
    progress_save(user=officer, report=report, entries=[entry], today=timezone.localdate())
    evidence = TaskEvidence.objects.get()
    url = reverse("plan_progress:evidence", args=[evidence.pk])
    return Stored(url, evidence.file, R.TOWN_OFFICE, R.VILLAGE_OFFICER, "application/pdf", True)


KINDS = {
    "import file": _import_file,
    "certificate scan (back office)": _scan,
    "certificate scan (my certificates)": lambda town, accounts: _scan(town, accounts, mine=True),
    "batch print": _batch_print,
    "batch print of files": _file_batch,
    "compiled monthly report": _compiled_report,
    "drill evidence": _drill_evidence,
    "session photo": _session_photo,
    "corrective-action evidence": _action_evidence,
    "drill signature": _drill_signature,
    "task evidence": _task_evidence,
}


@pytest.fixture(params=list(KINDS))
def stored(request, town, accounts, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return KINDS[request.param](town, accounts)


def test_anonymous_visitor_gets_the_login_page_or_nothing(client, stored):
    response = client.get(stored.url)
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert "login" in response["Location"]


def test_a_viewer_outside_the_scope_gets_not_found(client, accounts, stored):
    client.force_login(accounts[stored.outside])
    assert client.get(stored.url).status_code == 404


def test_a_viewer_in_the_scope_gets_the_file_with_the_download_headers(client, accounts, stored):
    client.force_login(accounts[stored.inside])
    response = client.get(stored.url)
    assert response.status_code == 200
    assert response["Content-Type"] == stored.content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;" if stored.inline else "attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    with stored.field_file.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()


def test_a_row_whose_file_is_gone_is_not_found_rather_than_an_error(client, accounts, stored):
    stored.field_file.storage.delete(stored.field_file.name)
    client.force_login(accounts[stored.inside])
    assert client.get(stored.url).status_code == 404


def test_the_file_is_private_and_media_never_serves_it(client, stored, settings):
    name = stored.field_file.name
    # The same storage as the alias names (an instance made again after a settings override).
    assert stored.field_file.storage.location == storages["private"].location
    full = Path(stored.field_file.path)
    assert not full.is_relative_to(Path(settings.MEDIA_ROOT))
    assert full.is_relative_to(Path(settings.STORAGES["private"]["OPTIONS"]["location"]))
    # A copy an older install left in the public folder, under the same name:
    leftover = Path(settings.MEDIA_ROOT) / name
    leftover.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(full, leftover)
    settings.ROOT_URLCONF = __name__
    assert client.get(f"/media/{name}").status_code == 404


def test_stored_names_are_generated(stored):
    base = os.path.basename(stored.field_file.name)
    stem, _dot, extension = base.partition(".")
    assert len(stem) == 32 and int(stem, 16) >= 0
    assert extension in {"xlsx", "pdf", "zip", "jpg", "png"}


# --- /media/ in development ---------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path, db):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ROOT_URLCONF = __name__

    def place(name: str, data: bytes) -> str:
        target = Path(settings.MEDIA_ROOT) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return f"/media/{name}"

    return place


@pytest.mark.parametrize(
    "name",
    [
        "imports/2026/12/x.xlsx",
        "certificates/registry/1/card.pdf",
        "certificates/batches/certificates-1.zip",
        "reports/monthly/2026/03/town.pdf",
        "x.jpg",
    ],
)
def test_media_outside_the_cms_folders_is_not_found(client, media, name):
    assert client.get(media(name, b"secret")).status_code == 404


def test_media_serves_a_public_image_inline_with_nosniff(client, media):
    url = media("original_images/poster.jpg", image_bytes())
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert not response.get("Content-Disposition", "").startswith("attachment")


@pytest.mark.parametrize(
    "name",
    ["documents/page.html", "original_images/logo.svg", "documents/run.js", "media/x.xhtml"],
)
def test_media_sends_active_content_as_an_opaque_download(client, media, name):
    response = client.get(media(name, b"<script>alert(document.cookie)</script>"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


# --- moving an older install's files ------------------------------------------------------------


def test_old_files_move_from_public_to_private_once_and_missing_ones_are_skipped(
    accounts, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    public, private = storages["default"], storages["private"]
    old = "imports/2020/01/张三名单.xlsx"
    public.save(old, ContentFile(b"old upload"))
    moved = ImportJob.objects.create(
        kind="people", file=old, original_name="a.xlsx", uploaded_by=accounts[R.TOWN_OFFICE]
    )
    ImportJob.objects.create(
        kind="people",
        file="imports/2020/01/gone.xlsx",
        original_name="b.xlsx",
        uploaded_by=accounts[R.TOWN_OFFICE],
    )
    try:
        assert stored_files_move_to_private(ImportJob, ("file",)) == 1
        assert not public.exists(old)
        with private.open(old, "rb") as handle:
            assert handle.read() == b"old upload"
        assert stored_files_move_to_private(ImportJob, ("file",)) == 0
        moved.refresh_from_db()
        assert moved.file.name == old
    finally:
        private.delete(old)


# --- refused imports keep no file ---------------------------------------------------------------


def _people_upload(town, *, bad: bool) -> SimpleUploadedFile:
    from tests.factories import id_number_make

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["姓名", "身份证号", "手机号", "所属企业统一社会信用代码", "人员类别", "用工形式", "岗位"]
        + ["入职日期"]
    )
    sheet.append(["员工", id_number_make(901), "", town["ent_a"].credit_code, "", "", "", ""])
    if bad:
        sheet.append(["坏", "123", "", town["ent_a"].credit_code, "", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("people.xlsx", buffer.getvalue())


def _private_imports() -> list[Path]:
    root = Path(storages["private"].location) / "imports"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def no_imports_left():
    for path in _private_imports():
        path.unlink()


@pytest.mark.parametrize(
    ("upload", "problem"),
    [
        (lambda town: _people_upload(town, bad=True), "rows"),
        (lambda town: SimpleUploadedFile("people.xlsx", b"not a workbook"), "file"),
        (lambda town: SimpleUploadedFile("people.txt", b"a,b"), "file"),
    ],
)
def test_a_refused_import_keeps_its_report_but_no_file(
    client, accounts, town, django_capture_on_commit_callbacks, no_imports_left, upload, problem
):
    client.force_login(accounts[R.TOWN_OFFICE])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory_imports:index"), {"kind": "people", "file": upload(town)})
    job = ImportJob.objects.get()
    assert job.status in (ImportJob.Status.CHECKED, ImportJob.Status.FAILED)
    assert not job.file and _private_imports() == []
    page = client.get(reverse("directory_imports:job", args=[job.pk])).content.decode()
    if problem == "rows":
        assert "123" in page  # the rejected row is still listed, with its reason
    else:
        assert job.report["file_errors"]
    assert reverse("directory_imports:file", args=[job.pk]) not in page
    assert client.get(reverse("directory_imports:file", args=[job.pk])).status_code == 404


def test_a_clean_import_keeps_its_file_privately(
    client, accounts, town, django_capture_on_commit_callbacks, no_imports_left
):
    client.force_login(accounts[R.TOWN_OFFICE])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory_imports:index"),
            {"kind": "people", "file": _people_upload(town, bad=False)},
        )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED and not job.has_errors
    assert [p.name for p in _private_imports()] == [os.path.basename(job.file.name)]
    assert "people" not in job.file.name
    page = client.get(reverse("directory_imports:job", args=[job.pk])).content.decode()
    assert reverse("directory_imports:file", args=[job.pk]) in page


# --- production: object storage, always signed --------------------------------------------------

SIGNED_URL_SCRIPT = """
from django.core.files.storage import storages
from certificates.models import CertificateAttachment
from directory.files import stored_file_response
private = storages["private"]
field = CertificateAttachment._meta.get_field("file")
scan = CertificateAttachment(content_type="application/pdf")
scan.file.name = "certificates/registry/1/0123456789abcdef0123456789abcdef.pdf"
response = stored_file_response(scan.file, content_type="application/pdf", filename="scan.pdf")
print("acl", private.default_acl)
print("status", response.status_code)
print("location", response["Location"])
print("public", storages["default"].url("original_images/poster.jpg"))
"""


def test_production_private_urls_are_signed_short_lived_and_never_on_the_custom_domain(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "safety.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
        "CACHE_URL": "locmemcache://",
        "CELERY_FILESYSTEM_DIR": str(tmp_path / "celery"),
        "MEDIA_BUCKET": "xujing-media",
        "MEDIA_ENDPOINT_URL": "https://oss-cn-shanghai.example.com",
        "MEDIA_REGION": "cn-shanghai",
        "MEDIA_ACCESS_KEY": "AKIDEXAMPLE",
        "MEDIA_SECRET_KEY": "secret-example",
        "MEDIA_CUSTOM_DOMAIN": "media.example.gov.cn",
    }
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(MANAGE), "shell", "-c", SIGNED_URL_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert lines["acl"] == "private"
    assert lines["status"] == "302"
    location = lines["location"]
    assert location.startswith("https://oss-cn-shanghai.example.com/")
    assert "media.example.gov.cn" not in location
    assert "/private/certificates/registry/1/" in location
    assert "X-Amz-Signature=" in location or "Signature=" in location
    assert "X-Amz-Expires=300" in location or "Expires=" in location
    assert "response-content-disposition=inline" in location
    # Public media keep the CDN.
    assert lines["public"].startswith("https://media.example.gov.cn/")


def test_private_media_root_is_not_under_media_root():
    private = Path(django_settings.STORAGES["private"]["OPTIONS"]["location"])
    assert not private.is_relative_to(Path(django_settings.MEDIA_ROOT))

"""The printable 签到表 (read back with pypdf) and the import of the filled sheet."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from directory.constants import AccountRole
from directory.identifiers import id_number_mask
from tests.factories import PersonFactory
from tests.factories.sessions import TrainingSessionFactory
from training.models import AttendanceStatus

R = AccountRole
HEADER = "姓名,身份证号,签到时间,签退时间,备注\n"


@pytest.fixture
def session(town, accounts):
    session = TrainingSessionFactory(
        organiser_department=town["dept_a"],
        title="重大事故隐患判定标准学习会",
        invitees=[town["person_a"]],
    )
    session.attendances.create(person=PersonFactory(name="周八", employer=town["ent_a"]))
    return session


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_sign_in_sheet_lists_the_roster_in_chinese(client, town, accounts, session):
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    response = client.get(reverse("session_sheet_pdf", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "重大事故隐患判定标准学习会" in text and "签到表" in text
    assert "张三" in text and "周八" in text and "签到时间" in text
    # The department officer sees masked ID numbers only.
    assert town["person_a"].id_number not in text
    assert id_number_mask(town["person_a"].id_number) in text


def _import(tmp_path, session, body: str, *, dry_run=False):
    path = tmp_path / "sheet.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    out = io.StringIO()
    args = ["import_data", "attendance", str(path), "--session", str(session.pk)]
    call_command(*args, *(["--dry-run"] if dry_run else []), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_marks_the_roster(tmp_path, town, session):
    zhou = session.attendances.get(person__name="周八").person
    body = f"张三,{town['person_a'].id_number},9:05,11:55,\n周八,{zhou.id_number},,,病假\n"
    out = _import(tmp_path, session, body, dry_run=True)
    assert "试运行：未写入任何数据。" in out
    assert not session.attendances.filter(signed_in_at__isnull=False).exists()
    _import(tmp_path, session, body)
    zhang = session.attendances.get(person=town["person_a"])
    assert zhang.status == AttendanceStatus.PRESENT and zhang.method == "sheet"
    assert f"{timezone.localtime(zhang.signed_in_at):%Y-%m-%d %H:%M}" == "2026-05-12 09:05"
    absent = session.attendances.get(person=zhou)
    assert absent.status == AttendanceStatus.ABSENT and absent.reason == "病假"


def test_bad_rows_are_explained_and_nothing_written(tmp_path, town, session):
    outsider = PersonFactory(name="冯十一", employer=town["ent_b"])
    body = (
        f"张三,{town['person_a'].id_number},9:05,8:00,\n"
        f"冯十一,{outsider.id_number},9:10,,\n"
        f"李雷,{town['person_a'].id_number},明天,,\n"
    )
    with pytest.raises(CommandError):
        _import(tmp_path, session, body)
    assert not session.attendances.filter(signed_in_at__isnull=False).exists()
    path = tmp_path / "sheet.csv"
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_data",
            "attendance",
            str(path),
            "--session",
            str(session.pk),
            "--dry-run",
            stdout=out,
            stderr=io.StringIO(),
        )
    report = out.getvalue()
    assert "签退时间须晚于签到时间" in report
    assert "不在该培训班的名册中" in report
    assert "不是时间" in report


def _admin_upload(client, path, **data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with open(path, "rb") as handle:
        data["file"] = SimpleUploadedFile(path.name, handle.read())
    return client.post(reverse("directory_imports:index"), {"kind": "attendance", **data})


def test_back_office_import_of_a_filled_sheet_names_its_session(
    client, tmp_path, town, accounts, session, django_capture_on_commit_callbacks
):
    from directory.models import ImportJob
    from tests.directory.importing_helpers import write_xlsx

    other = TrainingSessionFactory(
        organiser_department=town["dept_b"], title="规建办的培训班", invitees=[town["person_b"]]
    )
    zhou = session.attendances.get(person__name="周八").person
    path = write_xlsx(
        tmp_path / "签到表.xlsx",
        ["姓名", "身份证号", "签到时间", "签退时间", "备注"],
        [
            ["张三", town["person_a"].id_number, "9:20", "", ""],
            ["周八", zhou.id_number, "", "", "事假"],
        ],
    )
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    form = client.get(reverse("directory_imports:index")).content.decode()
    assert "重大事故隐患判定标准学习会" in form and "规建办的培训班" not in form
    # Without a session, or with one the officer does not run, the upload is refused.
    page = _admin_upload(client, path).content.decode()
    assert "请为此类导入选择此项" in page
    page = _admin_upload(client, path, attendance__session=other.pk).content.decode()
    assert "选择一个有效的选项" in page
    assert not ImportJob.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = _admin_upload(client, path, attendance__session=session.pk)
    job = ImportJob.objects.get()
    assert response.url == reverse("directory_imports:job", args=[job.pk])
    assert job.options == {"session": session.pk}
    assert job.status == ImportJob.Status.CHECKED and not job.has_errors, job.report
    assert not session.attendances.filter(signed_in_at__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory_imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    zhang = session.attendances.get(person=town["person_a"])
    assert zhang.status == AttendanceStatus.LATE and zhang.method == "sheet"
    assert session.attendances.get(person=zhou).reason == "事假"
    assert not other.attendances.exclude(status=AttendanceStatus.INVITED).exists()

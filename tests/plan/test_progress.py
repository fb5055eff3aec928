"""Monthly progress per task: the unit writes its task lines in its own monthly report (progress,
percent or the metric's figure, evidence files, problems), submission freezes them and counts the
tasks; evidence is private and scoped; the homes show overdue tasks and missing progress."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from directory.constants import AccountRole
from directory.files import XLSX_CONTENT_TYPE
from plan.models import TaskEvidence, TaskProgress, TaskStatus
from plan.progress.services import ProgressEntry, progress_save
from reports.models import MonthlyReport, ReportStatus
from reports.selectors.monthly import month_statuses
from reports.services import monthly
from reports.town_report_documents import TownReportData, status_rows
from tests.factories import UserFactory
from tests.factories.drills import DrillRecordFactory
from tests.factories.plan import TaskFactory, TaskUnitFactory
from tests.plan.documents import docx_bytes, docx_text
from tests.upload_files import image_bytes, pdf_bytes

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER
YEAR, MONTH = 2026, 11
TODAY = datetime.date(YEAR, MONTH, 20)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(timezone.make_aware(datetime.datetime(YEAR, MONTH, 20, 12)))


@pytest.fixture
def tasks(town):
    """经发办 leads two tasks (one measured by drill coverage) and cooperates on a third, which
    规建办 leads with 徐泾村; 规建办 alone has a fourth, overdue."""
    lead = TaskFactory(title="督促企业完善人员名册", key="T-LEAD")
    TaskUnitFactory(task=lead, department=town["dept_a"])
    drills = TaskFactory(
        title="企业疏散演练全覆盖",
        key="T-DRILL",
        indicator_metric="drill_coverage",
        indicator_target=Decimal("100"),
    )
    TaskUnitFactory(task=drills, department=town["dept_a"])
    shared = TaskFactory(
        title="开展联合检查",
        key="T-SHARED",
        status=TaskStatus.DONE,
        completed_on=datetime.date(YEAR, 10, 30),
    )
    TaskUnitFactory(task=shared, department=town["dept_b"])
    TaskUnitFactory(task=shared, department=town["dept_a"], role="cooperating")
    TaskUnitFactory(task=shared, village=town["village_a"], role="cooperating")
    other = TaskFactory(
        title="规划建设领域专项整治", key="T-OTHER", deadline=datetime.date(YEAR, 10, 31)
    )
    TaskUnitFactory(task=other, department=town["dept_b"])
    return {"lead": lead, "drills": drills, "shared": shared, "other": other}


def _report(accounts, role=DEPT) -> MonthlyReport:
    return monthly.monthly_report_start(user=accounts[role], year=YEAR, month=MONTH)


def _url(report) -> str:
    return reverse("monthly_reports:detail", args=[report.pk])


def _post(client, report, action="save", **task_fields):
    data = {"work_done": "组织检查", "problems": "", "next_month_plan": "", "action": action}
    data.update(task_fields)
    return client.post(_url(report), data, follow=True)


def _xlsx(*, macro: bool = False) -> bytes:
    """A workbook openpyxl writes; `macro` declares it macro-enabled (.xlsm) under an .xlsx name."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["企业", "完成情况"])
    book.active.append(["甲机械有限公司", "已完成"])
    buffer = io.BytesIO()
    book.save(buffer)
    if not macro:
        return buffer.getvalue()
    source, out = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
                ).replace(b"openxmlformats-officedocument.sheet.macro", b"ms-excel.sheet.macro")
            archive.writestr(item, data)
    return out.getvalue()


def test_the_report_lists_the_units_tasks_with_the_metric_figure(client, accounts, tasks, town):
    DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(YEAR, 4, 1))
    client.force_login(accounts[DEPT])
    page = client.get(_url(_report(accounts))).content.decode()
    keys = re.findall(r'data-task="([^"]+)"', page)
    # Lead and cooperating tasks, in plan order; never 规建办's own task.
    assert keys == ["T-LEAD", "T-DRILL", "T-SHARED"]
    assert "牵头单位" in page and "配合单位" in page
    # The metric task shows the unit's figure beside its target and asks no percent.
    assert "年度疏散演练覆盖率：100%（目标 100%） <span data-met>已达标</span>" in page
    assert f'name="task-{tasks["lead"].pk}-percent"' in page
    assert f'name="task-{tasks["drills"].pk}-percent"' not in page


def test_the_unit_writes_its_lines_with_evidence_and_submits(client, accounts, tasks, town):
    report = _report(accounts)
    client.force_login(accounts[DEPT])
    lead, drills = tasks["lead"].pk, tasks["drills"].pk
    typed = {
        f"task-{lead}-progress": "已督促12家企业完善名册",
        f"task-{lead}-percent": "60",
        f"task-{lead}-problems": "2家企业未按时报送",
        f"task-{drills}-progress": "组织3家企业演练",
    }
    files = [
        SimpleUploadedFile("名册.pdf", pdf_bytes("roster"), content_type="application/pdf"),
        SimpleUploadedFile("现场.jpg", image_bytes(), content_type="image/jpeg"),
    ]
    response = _post(client, report, **typed, **{f"task-{lead}-evidence": files})
    assert "草稿已保存" in response.content.decode()
    line = TaskProgress.objects.get(task=tasks["lead"], report=report)
    assert (line.progress, line.percent, line.problems) == (
        "已督促12家企业完善名册",
        60,
        "2家企业未按时报送",
    )
    names = sorted(TaskEvidence.objects.values_list("name", flat=True))
    assert names == ["名册.pdf", "现场.jpg"]
    pdf = TaskEvidence.objects.get(name="名册.pdf")
    # Stored privately under a random name, never the uploader's.
    assert "名册" not in pdf.file.name and pdf.file.name.endswith(".pdf")
    assert pdf.file.storage is TaskEvidence._meta.get_field("file").storage
    download = client.get(reverse("plan_progress:evidence", args=[pdf.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    body = b"".join(download.streaming_content)
    assert "roster" in PdfReader(io.BytesIO(body)).pages[0].extract_text()

    # Submitting (the form as the browser sends it again) freezes the lines: one per task,
    # the figure as at submission; lines the unit did not change are not written again.
    written_at = line.updated_at
    _post(client, report, action="submit", **typed)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    # Three tasks, of which the shared one was completed: counted, not typed.
    assert (report.tasks_total, report.tasks_done) == (3, 1)
    frozen = {p.task.key: p for p in TaskProgress.objects.filter(report=report)}
    assert set(frozen) == {"T-LEAD", "T-DRILL", "T-SHARED"}
    assert frozen["T-DRILL"].indicator_value == Decimal("0.0")
    assert frozen["T-DRILL"].indicator_target == Decimal("100.0")
    assert frozen["T-SHARED"].task_status == TaskStatus.DONE
    assert frozen["T-SHARED"].progress == ""
    assert frozen["T-LEAD"].updated_at == written_at

    DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(YEAR, 4, 1))
    client.force_login(accounts[TOWN])
    page = client.get(_url(report)).content.decode()
    assert "年度疏散演练覆盖率：0%（目标 100%）</p>" in page
    assert "已督促12家企业完善名册" in page and "本月未填报进展。" in page
    assert "已完成任务数：1/3" in page
    index = client.get(reverse("monthly_reports:index") + f"?year={YEAR}&month={MONTH}")
    assert "<td>1/3</td>" in index.content.decode()
    client.force_login(accounts[DEPT])
    own = client.get(reverse("monthly_reports:index")).content.decode()
    assert "<td>1/3</td>" in own
    client.force_login(accounts[TOWN])
    # The town office downloads the unit's evidence too.
    assert client.get(reverse("plan_progress:evidence", args=[pdf.pk])).status_code == 200


def test_nothing_changes_a_sent_report_s_lines(accounts, tasks):
    report = _report(accounts)
    user = accounts[DEPT]
    entry = ProgressEntry(task_id=tasks["lead"].pk, progress="推进中")
    progress_save(user=user, report=report, entries=[entry], today=TODAY)
    report = monthly.monthly_report_save(user=user, report=report, work_done="x")
    monthly.monthly_report_submit(user=user, report=report)
    with pytest.raises(ValidationError) as caught:
        progress_save(
            user=user,
            report=report,
            entries=[ProgressEntry(task_id=tasks["lead"].pk, progress="改")],
            today=TODAY,
        )
    assert caught.value.messages == ["已提交或已通过的报告不能再修改。"]
    assert TaskProgress.objects.get(task=tasks["lead"]).progress == "推进中"
    # Returned for revision, the unit edits again, and the new submission freezes anew.
    monthly.monthly_report_return(user=accounts[TOWN], report=report, comment="补充")
    tasks["lead"].status = TaskStatus.DONE
    tasks["lead"].completed_on = TODAY
    tasks["lead"].save()
    progress_save(
        user=user,
        report=report,
        entries=[ProgressEntry(task_id=tasks["lead"].pk, progress="已完成", percent=100)],
        today=TODAY,
    )
    report = monthly.monthly_report_submit(user=user, report=report)
    assert (report.tasks_total, report.tasks_done) == (3, 2)
    line = TaskProgress.objects.get(task=tasks["lead"])
    assert (line.progress, line.percent, line.task_status) == ("已完成", 100, "done")


def test_the_town_report_reads_the_counted_tasks(accounts, tasks):
    draft = _report(accounts)
    village = _report(accounts, VILLAGE)
    village = monthly.monthly_report_save(user=accounts[VILLAGE], report=village, work_done="x")
    monthly.monthly_report_submit(user=accounts[VILLAGE], report=village)
    data = TownReportData(YEAR, MONTH, TODAY, [], month_statuses(YEAR, MONTH))
    rows = {row[0]: row[3] for row in status_rows(data)}
    # 徐泾村 cooperates on one task, completed; 经发办's draft counts nothing yet.
    assert rows["徐泾村"] == "1/1"
    assert rows[draft.unit_name] == ""


def test_bad_input_is_refused_whole_naming_the_task_and_file(client, accounts, tasks):
    report = _report(accounts)
    client.force_login(accounts[DEPT])
    lead = tasks["lead"].pk
    fake = b"<html><script>alert(1)</script></html>"
    response = _post(
        client,
        report,
        **{
            f"task-{lead}-progress": "写了进展",
            f"task-{lead}-evidence": SimpleUploadedFile(
                "扫描件.pdf", fake, content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 200
    assert (
        "“督促企业完善人员名册”：“扫描件.pdf”：只接受 PDF 文件、图片（JPEG、PNG、WebP）、"
        "Word（.docx）或 Excel（.xlsx）文档。" in response.content.decode()
    )
    assert not TaskProgress.objects.exists() and not TaskEvidence.objects.exists()
    # What was typed is shown again.
    assert "写了进展" in response.content.decode()

    response = _post(client, report, **{f"task-{lead}-percent": "120"})
    assert not TaskProgress.objects.exists()
    assert "确保该值小于或等于100。" in response.content.decode()

    with pytest.raises(ValidationError) as caught:
        progress_save(
            user=accounts[DEPT],
            report=report,
            entries=[ProgressEntry(task_id=tasks["drills"].pk, percent=50)],
            today=TODAY,
        )
    assert caught.value.messages == ["“企业疏散演练全覆盖”：该任务的指标数值由平台统计，不需填写。"]


def test_office_documents_are_kept_but_not_with_macros(client, accounts, tasks):
    report = _report(accounts)
    client.force_login(accounts[DEPT])
    field = f"task-{tasks['lead'].pk}-evidence"
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    macro = docx_bytes(extra={"word/vbaProject.bin": b"\x00macro"})
    response = _post(client, report, **{field: SimpleUploadedFile("宏.docx", macro, docx)})
    assert "“宏.docx”：该 DOCX 文件含有宏。" in response.content.decode()
    xlsm = SimpleUploadedFile("台账.xlsx", _xlsx(macro=True), XLSX_CONTENT_TYPE)
    response = _post(client, report, **{field: xlsm})
    assert "“台账.xlsx”：文件不是可读取的 Excel 工作簿（XLSX）。" in response.content.decode()
    assert not TaskEvidence.objects.exists()
    uploads = [
        SimpleUploadedFile("总结.docx", docx_bytes("本月总结"), docx),
        SimpleUploadedFile("台账.xlsx", _xlsx(), XLSX_CONTENT_TYPE),
    ]
    _post(client, report, **{field: uploads})
    word = TaskEvidence.objects.get(name="总结.docx")
    assert word.file.name.endswith(".docx")
    download = client.get(reverse("plan_progress:evidence", args=[word.pk]))
    assert download["Content-Type"] == docx
    assert download["Content-Disposition"].startswith("attachment;")
    assert docx_text(b"".join(download.streaming_content)) == "本月总结"
    sheet = TaskEvidence.objects.get(name="台账.xlsx")
    download = client.get(reverse("plan_progress:evidence", args=[sheet.pk]))
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.active["A2"].value == "甲机械有限公司"
    # Removing one: ticked on the next save.
    _post(client, report, **{f"task-{tasks['lead'].pk}-remove": [str(word.pk)]})
    assert list(TaskEvidence.objects.values_list("name", flat=True)) == ["台账.xlsx"]


# --- scoping -------------------------------------------------------------------------------------


def test_a_unit_cannot_touch_another_units_progress(client, accounts, tasks, town):
    report = _report(accounts)
    progress_save(
        user=accounts[DEPT],
        report=report,
        entries=[
            ProgressEntry(
                task_id=tasks["lead"].pk,
                progress="x",
                uploads=[SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf")],
            )
        ],
        today=TODAY,
    )
    evidence = TaskEvidence.objects.get()
    other = UserFactory(username="dept_b", role=DEPT, department=town["dept_b"])
    # Another department: neither the report, nor the file, nor a write through the service.
    client.force_login(other)
    assert client.get(_url(report)).status_code == 404
    assert _post(client, report, **{f"task-{tasks['lead'].pk}-progress": "改"}).status_code == 404
    assert client.get(reverse("plan_progress:evidence", args=[evidence.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        progress_save(
            user=other,
            report=report,
            entries=[ProgressEntry(task_id=tasks["lead"].pk, progress="改")],
            today=TODAY,
        )
    for role in (VILLAGE, MANAGER):
        client.force_login(accounts[role])
        url = reverse("plan_progress:evidence", args=[evidence.pk])
        assert client.get(url).status_code in (302, 404)
    # Its own report, but a task it has no part in.
    with pytest.raises(PermissionDenied):
        progress_save(
            user=accounts[DEPT],
            report=report,
            entries=[ProgressEntry(task_id=tasks["other"].pk, progress="x")],
            today=TODAY,
        )
    # The town office reads but does not write a unit's lines.
    with pytest.raises(PermissionDenied):
        progress_save(
            user=accounts[TOWN],
            report=report,
            entries=[ProgressEntry(task_id=tasks["lead"].pk, progress="x")],
            today=TODAY,
        )
    assert TaskProgress.objects.get().progress == "x"


def test_the_overdue_link_lists_what_the_user_sees(client, accounts, tasks):
    url = reverse("plan_tasks:index") + "?current_status=overdue"
    tasks["lead"].deadline = datetime.date(YEAR, 11, 1)
    tasks["lead"].save()
    client.force_login(accounts[DEPT])
    page = client.get(url).content.decode()
    assert "督促企业完善人员名册" in page and "规划建设领域专项整治" not in page
    assert "企业疏散演练全覆盖" not in page
    client.force_login(accounts[TOWN])
    page = client.get(url).content.decode()
    assert "督促企业完善人员名册" in page and "规划建设领域专项整治" in page
    assert "开展联合检查" not in page


# --- home lines ----------------------------------------------------------------------------------


def _home_lines(client, user) -> dict[str, tuple[int, str]]:
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    rows = re.findall(
        r'<tr data-todo="([a-z_]+)">\s*<td class="title"><a href="([^"]+)">.*?</a></td>\s*'
        r'<td data-count="[a-z_]+">(\d+)</td>',
        html,
        re.S,
    )
    return {key: (int(count), url.replace("&amp;", "&")) for key, url, count in rows}


def test_homes_show_overdue_tasks_and_missing_progress(client, accounts, tasks, town):
    tasks["lead"].deadline = datetime.date(YEAR, 11, 1)
    tasks["lead"].save()
    dept = _home_lines(client, accounts[DEPT])
    overdue_url = reverse("plan_tasks:index") + "?current_status=overdue"
    assert dept["tasks_overdue"] == (1, overdue_url)
    assert dept["task_progress_missing"][0] == 3
    report = _report(accounts)
    progress_save(
        user=accounts[DEPT],
        report=report,
        entries=[ProgressEntry(task_id=tasks["lead"].pk, progress="推进中")],
        today=TODAY,
    )
    assert _home_lines(client, accounts[DEPT])["task_progress_missing"][0] == 2
    village = _home_lines(client, accounts[VILLAGE])
    assert village["tasks_overdue"][0] == 0 and village["task_progress_missing"][0] == 1
    town_lines = _home_lines(client, accounts[TOWN])
    # 经发办's and 规建办's overdue tasks; missing reports stay the reports app's own line.
    assert town_lines["tasks_overdue"][0] == 2
    assert town_lines["units_overdue"][0] == 4
    for _count, url in town_lines.values():
        assert client.get(url).status_code == 200
    # Once sent, nothing is left to write this month.
    report = monthly.monthly_report_save(user=accounts[DEPT], report=report, work_done="x")
    monthly.monthly_report_submit(user=accounts[DEPT], report=report)
    assert _home_lines(client, accounts[DEPT])["task_progress_missing"][0] == 0


def test_the_report_page_queries_do_not_grow_with_the_tasks(client, accounts, tasks, town):
    from django.db import connection

    report = _report(accounts)
    client.force_login(accounts[DEPT])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(report)).status_code == 200
        return len(captured)

    def write(task):
        upload = SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf")
        entry = ProgressEntry(task_id=task.pk, progress="x", uploads=[upload])
        progress_save(user=accounts[DEPT], report=report, entries=[entry], today=TODAY)

    write(tasks["lead"])
    queries()
    before = queries()
    for n in range(4):
        task = TaskFactory(title=f"新增任务{n}", indicator_metric="drill_coverage")
        TaskUnitFactory(task=task, department=town["dept_a"])
        write(task)
    assert queries() == before

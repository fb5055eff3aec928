"""Sub-plans: a unit uploads real PDF / DOCX documents (a forged file is refused in Chinese), the
town office accepts or returns them with a comment, versions keep the history, on time and late
are judged against the round's deadline, another unit never reaches them, and the list exports."""

import datetime
import io
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from directory.constants import AccountRole
from directory.models import ExportLogEntry, Notification
from plan.models import SubPlan, SubPlanRound, SubPlanStatus, SubPlanVersion
from plan.subplans import services
from plan.subplans.home import subplans_owed, subplans_to_review
from reports.selectors.home import When
from tests.factories.directory import UserFactory
from tests.factories.plan import SubPlanRoundFactory
from tests.plan.documents import MACRO_MAIN, docx_bytes, docx_text
from tests.upload_files import pdf_bytes

R = AccountRole
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def pdf(name="经发办子方案.pdf", text="Jingfa sub-plan"):
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def docx(name="徐泾村子方案.docx", text="徐泾村安全生产子方案", **options):
    return SimpleUploadedFile(name, docx_bytes(text, **options), content_type="application/msword")


@pytest.fixture
def plan_round(db):
    return SubPlanRoundFactory()


def _upload(client, user, plan_round, upload):
    client.force_login(user)
    return client.post(
        reverse("subplans:upload", args=[plan_round.pk]), {"file": upload}, follow=True
    )


def test_a_department_uploads_a_pdf_that_is_read_back(client, accounts, plan_round):
    response = _upload(client, accounts[R.DEPARTMENT_OFFICER], plan_round, pdf())
    assert "子方案第 1 版已上传，等待审核。" in response.content.decode()
    version = SubPlanVersion.objects.get()
    assert version.subplan.department.name == "经发办"
    assert version.subplan.status == SubPlanStatus.PENDING
    assert version.content_type == "application/pdf" and version.name == "经发办子方案.pdf"
    assert version.file.name.endswith(".pdf") and "经发办" not in version.file.name
    served = client.get(reverse("subplans:file", args=[version.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(b"".join(served.streaming_content))).pages[0].extract_text()
    assert "Jingfa sub-plan" in text


def test_a_village_uploads_a_docx_that_is_read_back(client, accounts, plan_round):
    _upload(client, accounts[R.VILLAGE_OFFICER], plan_round, docx())
    version = SubPlanVersion.objects.get()
    assert version.subplan.village.name == "徐泾村"
    assert version.content_type.endswith("wordprocessingml.document")
    served = client.get(reverse("subplans:file", args=[version.pk]))
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert docx_text(b"".join(served.streaming_content)) == "徐泾村安全生产子方案"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("子方案.pdf", b"<html><script>alert(1)</script></html>"),
            "“子方案.pdf”：既不是 PDF 文件，也不是 DOCX 文件。子方案须为 PDF 或 DOCX 文件。",
        ),
        (
            SimpleUploadedFile("子方案.pdf", b"%PDF-1.4\n<html>not really</html>"),
            "“子方案.pdf”：文件不是可读取的 PDF。子方案须为 PDF 或 DOCX 文件。",
        ),
        (
            SimpleUploadedFile("子方案.docx", b"PK\x03\x04 this is no zip archive"),
            "“子方案.docx”：该文件不是可读取的 DOCX 文件。子方案须为 PDF 或 DOCX 文件。",
        ),
        (
            SimpleUploadedFile("子方案.docx", docx_bytes(main=MACRO_MAIN)),
            "“子方案.docx”：该文件不是可读取的 DOCX 文件。子方案须为 PDF 或 DOCX 文件。",
        ),
        (
            SimpleUploadedFile(
                "子方案.docx", docx_bytes(extra={"word/vbaProject.bin": b"\x00macro"})
            ),
            "“子方案.docx”：该 DOCX 文件含有宏。子方案须为 PDF 或 DOCX 文件。",
        ),
    ],
    ids=["html-named-pdf", "pdf-polyglot", "bad-zip", "macro-enabled", "macros"],
)
def test_a_forged_file_is_refused_in_chinese_and_nothing_is_written(
    client, accounts, plan_round, upload, message
):
    response = _upload(client, accounts[R.DEPARTMENT_OFFICER], plan_round, upload)
    assert message in response.content.decode()
    assert not SubPlan.objects.exists() and not SubPlanVersion.objects.exists()


def test_return_needs_a_comment_then_a_new_version_keeps_the_history(client, accounts, plan_round):
    dept, town = accounts[R.DEPARTMENT_OFFICER], accounts[R.TOWN_OFFICE]
    first = services.subplan_upload(user=dept, subplan_round=plan_round, upload=pdf())
    subplan = first.subplan
    with pytest.raises(ValidationError) as caught:
        services.subplan_return(user=town, subplan=subplan, comment="  ")
    assert caught.value.messages == ["请说明需要修改的内容。"]
    with pytest.raises(PermissionDenied):
        services.subplan_accept(user=dept, subplan=subplan)

    services.subplan_return(user=town, subplan=subplan, comment="缺少2025年度目标")
    subplan.refresh_from_db()
    assert subplan.status == SubPlanStatus.RETURNED
    note = Notification.objects.get(recipient=dept)
    assert "子方案被退回修改：经发办" in note.title and "缺少2025年度目标" in note.body
    with pytest.raises(ValidationError) as caught:
        services.subplan_accept(user=town, subplan=subplan)
    assert caught.value.messages == ["只有待审核的子方案才能通过或退回。"]

    second = services.subplan_upload(user=dept, subplan_round=plan_round, upload=docx())
    assert second.number == 2
    subplan.refresh_from_db()
    assert subplan.status == SubPlanStatus.PENDING
    services.subplan_accept(user=town, subplan=subplan)
    subplan.refresh_from_db()
    assert subplan.status == SubPlanStatus.ACCEPTED
    history = list(subplan.versions.values_list("number", "review_status", "review_comment"))
    assert history == [(2, "accepted", ""), (1, "returned", "缺少2025年度目标")]
    assert Notification.objects.filter(recipient=dept, title__contains="已审核通过").exists()
    with pytest.raises(ValidationError) as caught:
        services.subplan_upload(user=dept, subplan_round=plan_round, upload=pdf())
    assert caught.value.messages == ["子方案已审核通过，不能再替换。"]

    client.force_login(dept)
    page = client.get(reverse("subplans:index")).content.decode()
    assert "缺少2025年度目标" in page and "已通过" in page


def test_the_town_office_reviews_on_screen(client, accounts, plan_round):
    version = services.subplan_upload(
        user=accounts[R.DEPARTMENT_OFFICER], subplan_round=plan_round, upload=pdf()
    )
    client.force_login(accounts[R.TOWN_OFFICE])
    url = reverse("subplans:review", args=[version.subplan_id])
    response = client.post(url, {"action": "return", "review_comment": ""}, follow=True)
    assert "请说明需要修改的内容。" in response.content.decode()
    client.post(url, {"action": "return", "review_comment": "请细化分工"})
    version.refresh_from_db()
    assert version.review_status == "returned" and version.review_comment == "请细化分工"
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    refused = client.post(url, {"action": "accept"})
    assert refused.status_code in (302, 403)  # Wagtail turns a refusal into a redirect home
    version.refresh_from_db()
    assert version.review_status == "returned"


@pytest.mark.parametrize(
    ("uploaded", "on_time"),
    [
        (datetime.datetime(2024, 4, 15, 23, 50, tzinfo=SHANGHAI), True),
        (datetime.datetime(2024, 4, 16, 0, 10, tzinfo=SHANGHAI), False),
    ],
)
def test_on_time_or_late_against_the_deadline(client, accounts, plan_round, uploaded, on_time):
    services.subplan_upload(
        user=accounts[R.DEPARTMENT_OFFICER], subplan_round=plan_round, upload=pdf(), now=uploaded
    )
    client.force_login(accounts[R.TOWN_OFFICE])
    page = client.get(reverse("subplans:index")).content.decode()
    assert "2024年4月15日" in page
    assert ("按时提交" in page) is on_time and ("逾期提交" in page) is not on_time
    assert f"{uploaded.year}年{uploaded.month}月{uploaded.day}日" in page


def test_the_list_shows_every_member_unit_and_filters_by_status(client, accounts, plan_round):
    services.subplan_upload(
        user=accounts[R.DEPARTMENT_OFFICER], subplan_round=plan_round, upload=pdf()
    )
    client.force_login(accounts[R.TOWN_OFFICE])
    page = client.get(reverse("subplans:index")).content.decode()
    for unit in ("经发办", "规建办", "徐泾村", "金云村"):
        assert f'data-unit="{unit}"' in page
    assert page.count('data-status="missing"') == 3 and page.count('data-status="pending"') == 1
    missing = client.get(reverse("subplans:index"), {"status": "missing"}).content.decode()
    assert 'data-unit="经发办"' not in missing and 'data-unit="规建办"' in missing


def test_the_export_lists_each_unit_with_status_date_and_lateness(client, accounts, plan_round):
    services.subplan_upload(
        user=accounts[R.DEPARTMENT_OFFICER],
        subplan_round=plan_round,
        upload=pdf(),
        now=datetime.datetime(2024, 4, 12, 9, 0, tzinfo=SHANGHAI),
    )
    services.subplan_upload(
        user=accounts[R.VILLAGE_OFFICER],
        subplan_round=plan_round,
        upload=docx(),
        now=datetime.datetime(2024, 4, 20, 9, 0, tzinfo=SHANGHAI),
    )
    client.force_login(accounts[R.TOWN_OFFICE])
    response = client.get(reverse("subplans:export"), {"round": plan_round.pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert [c.value for c in sheet[1]] == ["成员单位", "类型", "状态", "已提交", "按时", "版本数"]
    assert rows["经发办"] == ("部门", "待审核", "2024年4月12日", "是", 1)
    assert rows["徐泾村"] == ("村", "待审核", "2024年4月20日", "否", 1)
    assert rows["规建办"] == ("部门", "未提交", None, None, 0)
    log = ExportLogEntry.objects.get(kind="subplans")
    assert log.rows == 4

    filtered = client.get(reverse("subplans:export"), {"round": plan_round.pk, "status": "missing"})
    names = [
        r[0]
        for r in load_workbook(io.BytesIO(filtered.content)).active.iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert names == ["规建办", "金云村"]


def test_another_unit_reaches_neither_the_sub_plan_nor_its_file(client, accounts, town, plan_round):
    version = services.subplan_upload(
        user=accounts[R.DEPARTMENT_OFFICER], subplan_round=plan_round, upload=pdf()
    )
    other_dept = UserFactory(role=R.DEPARTMENT_OFFICER, department=town["dept_b"])
    for outsider in (other_dept, accounts[R.VILLAGE_OFFICER], accounts[R.ENTERPRISE_MANAGER]):
        client.force_login(outsider)
        assert client.get(reverse("subplans:detail", args=[version.subplan_id])).status_code == 404
        assert client.get(reverse("subplans:file", args=[version.pk])).status_code == 404
    client.force_login(other_dept)
    export = client.get(reverse("subplans:export"), {"round": plan_round.pk})
    rows = list(
        load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True)
    )
    assert [r[:3] for r in rows] == [("规建办", "部门", "未提交")]
    client.force_login(accounts[R.ENTERPRISE_MANAGER])
    assert client.get(reverse("subplans:index")).status_code in (302, 403)
    client.logout()
    assert client.get(reverse("subplans:file", args=[version.pk])).status_code == 302


@pytest.mark.urls("tests.security.test_private_files")
def test_the_file_is_not_reachable_by_a_plain_url(client, accounts, plan_round):
    version = services.subplan_upload(
        user=accounts[R.DEPARTMENT_OFFICER], subplan_round=plan_round, upload=pdf()
    )
    client.force_login(accounts[R.TOWN_OFFICE])
    assert client.get(f"/media/{version.file.name}").status_code == 404
    assert client.get(reverse("subplans:file", args=[version.pk])).status_code == 200


def test_a_closed_round_takes_no_upload(accounts, plan_round):
    services.subplan_round_close(user=accounts[R.TOWN_OFFICE], subplan_round=plan_round)
    with pytest.raises(ValidationError) as caught:
        services.subplan_upload(
            user=accounts[R.DEPARTMENT_OFFICER], subplan_round=plan_round, upload=pdf()
        )
    assert caught.value.messages == ["本轮征集已结束，不再接收子方案。"]


def test_the_town_office_opens_a_round_with_its_deadline(client, accounts):
    client.force_login(accounts[R.TOWN_OFFICE])
    page = client.get(reverse("subplans:index")).content.decode()
    assert "2024-04-15" in page  # the plan's own round is what the form offers first
    client.post(
        reverse("subplans:round_open"), {"title": "2025年子方案修订", "deadline": "2025-03-31"}
    )
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    client.post(reverse("subplans:round_open"), {"title": "x", "deadline": "2025-03-31"})
    assert list(SubPlanRound.objects.values_list("title", flat=True)) == ["2025年子方案修订"]
    page = client.get(reverse("subplans:index")).content.decode()
    assert "2025年子方案修订" in page and "2025年3月31日" in page and "未提交" in page


def test_home_lines_follow_what_is_owed_and_awaiting_review(accounts, plan_round):
    dept, town = accounts[R.DEPARTMENT_OFFICER], accounts[R.TOWN_OFFICE]
    when = When(datetime.date(2026, 6, 10), datetime.datetime(2026, 6, 10, 10, 0, tzinfo=SHANGHAI))
    assert subplans_owed(dept, when).count == 1
    assert subplans_to_review(town, when) is None
    version = services.subplan_upload(user=dept, subplan_round=plan_round, upload=pdf())
    assert subplans_owed(dept, when) is None
    assert subplans_to_review(town, when).count == 1
    services.subplan_return(user=town, subplan=version.subplan, comment="补充分工")
    assert subplans_owed(dept, when).count == 1
    assert subplans_to_review(town, when) is None


def test_the_list_costs_the_same_queries_whatever_the_number_of_units(client, accounts, plan_round):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.directory import VillageFactory

    client.force_login(accounts[R.TOWN_OFFICE])
    url = reverse("subplans:index")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(20):
        village = VillageFactory(name=f"测试村{n}")
        officer = UserFactory(role=R.VILLAGE_OFFICER, village=village)
        services.subplan_upload(user=officer, subplan_round=plan_round, upload=pdf())
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert page.count('data-status="pending"') == 20
    assert len(large) == len(small)

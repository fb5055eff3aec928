"""Importing registered certificates from XLSX: dry run, rows named with a Chinese reason,
all-or-nothing, people matched by ID number, the review date recorded as a passed review."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from certificates.models import CertificateReview, RegisteredCertificate
from directory.constants import AccountRole
from directory.importing.services import import_file
from tests.directory.importing_helpers import write_xlsx
from tests.factories import PersonFactory

HEADERS = [
    "姓名",
    "身份证号",
    "证书类型",
    "作业类别",
    "准操项目",
    "证号",
    "发证机关",
    "初领日期",
    "有效期至",
    "复审日期",
]
D = datetime.date


def good_rows(town):
    a, b = town["person_a"], town["person_b"]
    return [
        [
            "张三",
            a.id_number,
            "特种作业操作证",
            "电工作业",
            "低压电工作业",
            a.id_number,
            "上海市应急管理局",
            "2021-03-05",
            "2027-03-05",
            "2024-02-20",
        ],
        [
            "张三",
            a.id_number,
            "特种作业操作证",
            "电工作业",
            "电力电缆作业",
            a.id_number,
            "上海市应急管理局",
            "2024/5/6",
            "",
            "",
        ],
        [
            "李四",
            b.id_number,
            "特种设备安全管理和作业人员证",
            "",
            "N1 叉车司机",
            "TS2024001",
            "青浦区市场监督管理局",
            "2024年1月2日",
            "",
            "",
        ],
        [
            "李四",
            b.id_number,
            "安全生产知识和管理能力考核合格证",
            "",
            "",
            "AQ2025001",
            "上海市应急管理局",
            "2025-01-10",
            "",
            "",
        ],
    ]


def test_import_writes_every_card_and_the_review(town, tmp_path):
    path = write_xlsx(tmp_path / "certs.xlsx", HEADERS, good_rows(town))
    report = import_file(kind="certificates", path=path, dry_run=False)
    assert report.ok and report.written, report.lines()
    assert report.counts["new"] == 4
    low = RegisteredCertificate.objects.get(operation__name="低压电工作业")
    assert low.person == town["person_a"]
    # Reviewed 2024-02-20 before the 2024-03-05 due date: next due at the expiry.
    assert low.review_due_on == D(2027, 3, 5)
    assert CertificateReview.objects.get().certificate == low
    cable = RegisteredCertificate.objects.get(operation__name="电力电缆作业")
    assert cable.valid_until == D(2030, 5, 6)  # issue + 6 years when the column is empty
    forklift = RegisteredCertificate.objects.get(number="TS2024001")
    assert (forklift.scope, forklift.expires_on) == ("N1 叉车司机", D(2028, 1, 2))
    # Importing the same file again changes nothing.
    again = import_file(kind="certificates", path=path, dry_run=False)
    assert again.counts["skip"] == 4 and RegisteredCertificate.objects.count() == 4
    assert CertificateReview.objects.count() == 1


def test_dry_run_writes_nothing(town, tmp_path):
    path = write_xlsx(tmp_path / "certs.xlsx", HEADERS, good_rows(town))
    report = import_file(kind="certificates", path=path, dry_run=True)
    assert report.ok and report.counts["new"] == 4
    assert not RegisteredCertificate.objects.exists()


def test_bad_rows_are_named_and_nothing_is_written(town, tmp_path):
    stranger = PersonFactory.build(id_number="11010519491231002X")
    rows = good_rows(town) + [
        [
            "王某",
            stranger.id_number,
            "特种作业操作证",
            "电工作业",
            "低压电工作业",
            "X1",
            "某局",
            "2024-01-01",
            "",
            "",
        ],
        [
            "错名",
            town["person_a"].id_number,
            "特种作业操作证",
            "电工作业",
            "高压电工作业",
            "X2",
            "某局",
            "2024-01-01",
            "",
            "",
        ],
        [
            "张三",
            town["person_a"].id_number,
            "特种作业操作证",
            "电工作业",
            "开挖掘机",
            "X3",
            "某局",
            "2024-01-01",
            "",
            "",
        ],
        ["张三", town["person_a"].id_number, "驾驶证", "", "", "X4", "某局", "2024-01-01", "", ""],
        [
            "张三",
            town["person_a"].id_number,
            "特种作业操作证",
            "电工作业",
            "高压电工作业",
            "X5",
            "某局",
            "2024-01-01",
            "2020-01-01",
            "",
        ],
        [
            "张三",
            town["person_a"].id_number,
            "特种作业操作证",
            "电工作业",
            "高压电工作业",
            "X6",
            "某局",
            "昨天",
            "",
            "",
        ],
        good_rows(town)[0],
    ]
    path = write_xlsx(tmp_path / "certs.xlsx", HEADERS, rows)
    report = import_file(kind="certificates", path=path, dry_run=False)
    assert not report.written
    reasons = {row.row: "；".join(row.errors) for row in report.error_rows}
    assert "未登记" in reasons[6]
    assert "不符" in reasons[7]
    assert "开挖掘机" in reasons[8]
    assert "驾驶证" in reasons[9]
    assert "有效期" in reasons[10]
    assert "昨天" in reasons[11]
    assert "证号与本文件第 2 行重复" in reasons[12]
    assert set(reasons) == {6, 7, 8, 9, 10, 11, 12}
    assert not RegisteredCertificate.objects.exists()


def test_manager_imports_only_own_people(accounts, town, tmp_path):
    path = write_xlsx(tmp_path / "certs.xlsx", HEADERS, good_rows(town))
    report = import_file(
        kind="certificates",
        path=path,
        dry_run=True,
        viewer=accounts[AccountRole.ENTERPRISE_MANAGER],
    )
    assert {row.row for row in report.error_rows} == {4, 5}


def test_command_line_dry_run_and_errors(town, tmp_path, capsys):
    path = write_xlsx(tmp_path / "certs.xlsx", HEADERS, good_rows(town))
    call_command("import_data", "certificates", str(path), "--dry-run")
    assert not RegisteredCertificate.objects.exists()
    call_command("import_data", "certificates", str(path))
    assert RegisteredCertificate.objects.count() == 4
    bad = write_xlsx(tmp_path / "bad.xlsx", HEADERS[:3], [["张三", "x", "y"]])
    with pytest.raises(CommandError):
        call_command("import_data", "certificates", str(bad))


def test_back_office_offers_the_template(client, accounts):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    page = client.get(reverse("directory_imports:index"))
    assert "持证登记" in page.content.decode()
    response = client.get(reverse("directory_imports:template", args=["certificates", "xlsx"]))
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADERS

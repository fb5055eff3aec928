"""Importing registered certificates from XLSX: dry run, rows named with a Chinese reason,
all-or-nothing, people matched by ID number, the card as it shows (有效期至 as printed,
最近复审日期 and 历次复审日期 recorded as passed reviews)."""

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
    "最近复审日期",
    "历次复审日期",
]
D = datetime.date


def padded(rows):
    return [row + [""] * (len(HEADERS) - len(row)) for row in rows]


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
    path = write_xlsx(tmp_path / "certs.xlsx", HEADERS, padded(good_rows(town)))
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
    path = write_xlsx(tmp_path / "certs.xlsx", HEADERS, padded(good_rows(town)))
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
    path = write_xlsx(tmp_path / "certs.xlsx", HEADERS, padded(rows))
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


def long_held_row(person, number="LH2010", **columns):
    """A card first issued 2010-03-01, printed valid to 2028-03-01, last reviewed 2025-02-01."""
    values = {
        "初领日期": "2010-03-01",
        "有效期至": "2028-03-01",
        "最近复审日期": "2025-02-01",
        "历次复审日期": "",
    }
    values.update(columns)
    return [
        person.name,
        person.id_number,
        "特种作业操作证",
        "电工作业",
        "低压电工作业",
        number,
        "上海市应急管理局",
        *values.values(),
    ]


@pytest.mark.parametrize("earlier", ["", "2019-02-01、2022-02-01"])
def test_a_card_held_since_2010_and_reviewed_in_2025_imports_valid(town, tmp_path, earlier):
    """第二十一、二十六条 from what the card shows: the reviews of 2013–2022 need not be typed
    in; the printed 有效期至 2028-03-01 says they were kept. Valid on 2026-12-05, next review due
    at the expiry; the earlier reviews, when listed, are recorded too."""
    from certificates.rules import CertificateStatus
    from certificates.selectors.registry import with_status

    path = write_xlsx(
        tmp_path / "certs.xlsx", HEADERS, [long_held_row(town["person_a"], 历次复审日期=earlier)]
    )
    report = import_file(kind="certificates", path=path, dry_run=False)
    assert report.ok and report.written, report.lines()
    card = with_status(RegisteredCertificate.objects.all(), D(2026, 12, 5)).get()
    assert (card.status, card.invalid_since) == (CertificateStatus.VALID, None)
    assert (card.expires_on, card.review_due_on) == (D(2028, 3, 1), D(2028, 3, 1))
    recorded = set(card.reviews.values_list("reviewed_on", flat=True))
    assert recorded == {D(2025, 2, 1)} | ({D(2019, 2, 1), D(2022, 2, 1)} if earlier else set())
    # The same file again: nothing to change.
    again = import_file(kind="certificates", path=path, dry_run=False)
    assert again.counts["skip"] == 1 and card.reviews.count() == len(recorded)


def test_a_later_review_added_by_a_second_import(town, tmp_path):
    """A card imported with its 2022 renewal and, a year on, with its 2025 review: the second
    file updates it, and the status runs from the latest review."""
    person = town["person_a"]
    first = write_xlsx(
        tmp_path / "a.xlsx", HEADERS, [long_held_row(person, 最近复审日期="2022-02-01")]
    )
    import_file(kind="certificates", path=first, dry_run=False)
    assert RegisteredCertificate.objects.get().review_due_on == D(2025, 3, 1)
    second = write_xlsx(tmp_path / "b.xlsx", HEADERS, [long_held_row(person)])
    report = import_file(kind="certificates", path=second, dry_run=False)
    assert report.counts["update"] == 1, report.lines()
    assert RegisteredCertificate.objects.get().review_due_on == D(2028, 3, 1)


def test_a_file_from_the_earlier_template_reads_复审日期_as_the_latest_review(town, tmp_path):
    """Files made from the earlier template call the latest review 复审日期: it is read as
    最近复审日期, not dropped (a dropped review would make the long-held card read invalid)."""
    path = write_xlsx(
        tmp_path / "old.xlsx", [*HEADERS[:9], "复审日期"], [long_held_row(town["person_a"])[:10]]
    )
    report = import_file(kind="certificates", path=path, dry_run=False)
    assert report.ok and report.written, report.lines()
    card = RegisteredCertificate.objects.get()
    assert (card.review_due_on, card.invalid_since) == (D(2028, 3, 1), None)


def test_bad_review_dates_are_named_by_row_and_column(town, tmp_path):
    """A date that is not one, a review outside the card's dates, or earlier reviews without
    the latest: the row and the column are named in Chinese, and nothing is written."""
    person = town["person_a"]
    rows = [
        long_held_row(person, "R2"),
        long_held_row(person, "R3", 最近复审日期="去年"),
        long_held_row(person, "R4", 历次复审日期="2019-02-01、某天"),
        long_held_row(person, "R5", 最近复审日期="2029-01-01"),
        long_held_row(person, "R6", 最近复审日期="2009-01-01"),
        long_held_row(person, "R7", 最近复审日期="", 历次复审日期="2019-02-01"),
        long_held_row(person, "R8", 历次复审日期="2025-06-01"),
        long_held_row(person, "R9", 有效期至="2016-03-01"),
    ]
    path = write_xlsx(tmp_path / "certs.xlsx", HEADERS, rows)
    report = import_file(kind="certificates", path=path, dry_run=False)
    assert not report.written
    reasons = {row.row: "；".join(row.errors) for row in report.error_rows}
    assert set(reasons) == {3, 4, 5, 6, 7, 8, 9}
    assert "最近复审日期" in reasons[3] and "去年" in reasons[3]
    assert "历次复审日期" in reasons[4] and "某天" in reasons[4]
    assert "最近复审日期" in reasons[5] and "有效期至" in reasons[5]
    assert "最近复审日期" in reasons[6] and "初领日期" in reasons[6]
    assert "最近复审日期" in reasons[7]
    assert "历次复审日期" in reasons[8] and "2025-02-01" in reasons[8]
    assert "最近复审日期" in reasons[9] and "2016-03-01" in reasons[9]
    assert not RegisteredCertificate.objects.exists()
    assert not CertificateReview.objects.exists()


def test_manager_imports_only_own_people(accounts, town, tmp_path):
    path = write_xlsx(tmp_path / "certs.xlsx", HEADERS, padded(good_rows(town)))
    report = import_file(
        kind="certificates",
        path=path,
        dry_run=True,
        viewer=accounts[AccountRole.ENTERPRISE_MANAGER],
    )
    assert {row.row for row in report.error_rows} == {4, 5}


def test_command_line_dry_run_and_errors(town, tmp_path, capsys):
    path = write_xlsx(tmp_path / "certs.xlsx", HEADERS, padded(good_rows(town)))
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


def test_a_holder_under_eighteen_is_imported_with_a_warning(town, tmp_path):
    """第四条: an applicant is 18 or older. A holder born 2007-06-01, first issued 2024-12-01
    (aged 17), is imported, and the preview names the row with the reason (not a refusal)."""
    from tests.factories import id_number_make

    young = PersonFactory(
        id_number=id_number_make(11, birth=D(2007, 6, 1)), employer=town["person_a"].employer
    )
    row = [young.name, young.id_number, "特种作业操作证", "电工作业", "低压电工作业", "Y1"]
    row += ["上海市应急管理局", "2024-12-01"]
    path = write_xlsx(tmp_path / "certs.xlsx", HEADERS, padded([row]))
    preview = import_file(kind="certificates", path=path, dry_run=True)
    assert preview.ok and preview.counts["new"] == 1, preview.lines()
    (warned,) = preview.warning_rows
    assert warned.row == 2 and "17" in warned.warnings[0] and "第四条" in warned.warnings[0]
    assert any("第四条" in line for line in preview.lines())
    written = import_file(kind="certificates", path=path, dry_run=False)
    assert written.written and RegisteredCertificate.objects.filter(person=young).exists()

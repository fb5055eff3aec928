"""The study-hours ledger: import of history (service, command, back office), totals, scoping."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from directory.constants import AccountRole
from directory.importing.services import import_file
from directory.models import ImportJob
from tests.directory.importing_helpers import write_xlsx
from tests.factories.learning import StudyHourEntryFactory
from training.learning.selectors.ledger import (
    hours_by_person,
    ledger_entries_visible_to,
    person_hours,
)
from training.learning.services.ledger import ledger_history_record
from training.models import HourSource, StudyHourEntry

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "身份证号", "培训名称", "培训类型", "学时", "培训日期", "培训机构"]


def rows(town):
    a, b = town["person_a"], town["person_b"]
    return [
        [
            a.name,
            a.id_number,
            "2024年度从业人员再培训",
            "年度再培训",
            "8",
            "2024-03-05",
            "镇安委办",
        ],
        [a.name, a.id_number, "有限空间作业专题", "专题培训", 4.5, "2024/9/1", "区应急局"],
        [b.name, b.id_number, "2024年度从业人员再培训", "年度再培训", "8学时", "2024年3月5日", ""],
    ]


def test_history_imports_all_or_nothing_and_twice_changes_nothing(town, tmp_path):
    path = write_xlsx(tmp_path / "h.xlsx", HEADERS, rows(town))
    dry = import_file(kind="training_records", path=path, dry_run=True)
    assert dry.ok, dry.lines()
    assert dry.counts["new"] == 3
    assert not StudyHourEntry.objects.exists()

    report = import_file(kind="training_records", path=path, dry_run=False)
    assert report.written
    entries = StudyHourEntry.objects.filter(person=town["person_a"])
    assert {e.source for e in entries} == {HourSource.IMPORTED}
    assert person_hours(person=town["person_a"], year=2024) == Decimal("12.5")

    again = import_file(kind="training_records", path=path, dry_run=False)
    assert again.counts["skip"] == 3 and again.counts["new"] == 0
    assert StudyHourEntry.objects.count() == 3


def test_bad_rows_are_reported_in_chinese_and_nothing_is_written(town, tmp_path):
    a = town["person_a"]
    bad = [
        *rows(town),
        ["王二", a.id_number, "另一培训", "", "2", "2024-05-01", ""],
        [a.name, "11010519491231002X", "另一培训", "", "2", "2024-05-01", ""],
        [a.name, a.id_number, "另一培训", "", "零", "2024-05-01", ""],
        [a.name, a.id_number, "另一培训", "", "-1", "2024-05-01", ""],
        [a.name, a.id_number, "另一培训", "", "2", "去年", ""],
        [a.name, a.id_number, "有限空间作业专题", "", "4.5", "2024-09-01", ""],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", HEADERS, bad)
    report = import_file(kind="training_records", path=path, dry_run=False)
    assert not report.written
    assert not StudyHourEntry.objects.exists()
    reasons = {row.row: "；".join(row.errors) for row in report.error_rows}
    assert "姓名与登记" in reasons[5] or "不符" in reasons[5]
    assert "未登记" in reasons[6] or "没有" in reasons[6]
    assert "学时" in reasons[7] and "学时" in reasons[8]
    assert "培训日期" in reasons[9]
    assert "第 3 行重复" in reasons[10]
    assert set(reasons) == {5, 6, 7, 8, 9, 10}


def test_command_dry_run_and_errors_exit_non_zero(town, tmp_path, capsys):
    path = write_xlsx(tmp_path / "h.xlsx", HEADERS, rows(town))
    call_command("import_data", "training_records", str(path), "--dry-run")
    assert not StudyHourEntry.objects.exists()
    call_command("import_data", "training_records", str(path))
    assert StudyHourEntry.objects.count() == 3
    bad = write_xlsx(
        tmp_path / "bad.xlsx", HEADERS, [["张三", "123", "x", "", "1", "2024-01-01", ""]]
    )
    with pytest.raises(CommandError):
        call_command("import_data", "training_records", str(bad))


def test_manager_imports_own_staff_only(accounts, town, tmp_path):
    path = write_xlsx(tmp_path / "h.xlsx", HEADERS, rows(town))
    report = import_file(
        kind="training_records",
        path=path,
        viewer=accounts[AccountRole.ENTERPRISE_MANAGER],
        dry_run=True,
    )
    assert [row.row for row in report.error_rows] == [4]
    assert "管辖范围以外" in report.error_rows[0].errors[0]


def test_back_office_offers_the_template_and_imports(
    client, accounts, town, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    response = client.get(reverse("directory_imports:template", args=["training_records", "xlsx"]))
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == [*HEADERS, "培训专题", "培训层级"]
    assert "training_records" in client.get(reverse("directory_imports:index")).content.decode()

    path = write_xlsx(tmp_path / "h.xlsx", HEADERS, rows(town))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory_imports:index"),
            {"kind": "training_records", "file": SimpleUploadedFile("h.xlsx", path.read_bytes())},
        )
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory_imports:confirm", args=[job.pk]))
    assert StudyHourEntry.objects.count() == 3
    assert set(StudyHourEntry.objects.values_list("confirmed_by", flat=True)) == {
        accounts[AccountRole.TOWN_OFFICE].pk
    }


def test_totals_come_from_the_ledger_in_one_query(town, django_assert_num_queries):
    a, b = town["person_a"], town["person_b"]
    for person, hours, date in [
        (a, "8", datetime.date(2024, 3, 1)),
        (a, "1.5", datetime.date(2024, 12, 31)),
        (a, "4", datetime.date(2023, 6, 1)),
        (b, "2", datetime.date(2024, 1, 1)),
    ]:
        StudyHourEntryFactory(
            person=person, hours=Decimal(hours), date=date, training_name=f"培训{hours}"
        )
    people = type(a).objects.all()
    with django_assert_num_queries(1):
        totals = hours_by_person(people=people, year=2024)
    assert totals == {a.pk: Decimal("9.5"), b.pk: Decimal("2")}


def test_database_refuses_zero_hours(town):
    with pytest.raises(IntegrityError), transaction.atomic():
        StudyHourEntryFactory(
            person=town["person_a"], hours=0, date=datetime.date(2024, 1, 1), training_name="x"
        )


@pytest.mark.parametrize(
    ("role", "sees_a", "sees_b"),
    [
        (AccountRole.TOWN_OFFICE, True, True),
        (AccountRole.DEPARTMENT_OFFICER, True, False),
        (AccountRole.VILLAGE_OFFICER, True, False),
        (AccountRole.ENTERPRISE_MANAGER, True, False),
        (AccountRole.LEARNER, True, False),
        (AccountRole.EDITOR, False, False),
    ],
)
def test_ledger_scoping_matrix(accounts, town, role, sees_a, sees_b):
    entries = {}
    for key in ("person_a", "person_b"):
        entries[key] = StudyHourEntryFactory(
            person=town[key], hours=1, date=datetime.date(2024, 1, 1), training_name="x"
        )
    visible = set(ledger_entries_visible_to(accounts[role]))
    assert (entries["person_a"] in visible) is sees_a
    assert (entries["person_b"] in visible) is sees_b


def test_hand_entry_only_within_scope(accounts, town):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    entry = ledger_history_record(
        user=manager,
        person=town["person_a"],
        training_name="三级教育",
        hours=Decimal("24"),
        date=datetime.date(2024, 2, 1),
    )
    assert entry.confirmed_by == manager
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        ledger_history_record(
            user=manager,
            person=town["person_b"],
            training_name="三级教育",
            hours=Decimal("24"),
            date=datetime.date(2024, 2, 1),
        )


def test_ledger_screen_lists_scoped_rows(client, accounts, town):
    for key in ("person_a", "person_b"):
        StudyHourEntryFactory(
            person=town[key], hours=1, date=datetime.date(2024, 1, 1), training_name=f"培训{key}"
        )
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    html = client.get(reverse("study_hours:index")).content.decode()
    assert "培训person_a" in html and "培训person_b" not in html

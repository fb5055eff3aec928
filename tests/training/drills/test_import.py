"""Import of drills held (`drill_records`): one row per drill, the entry forms' checks in Chinese
per row and column, all-or-nothing, within the uploader's enterprises."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from directory.constants import AccountRole
from directory.importing.services import import_file
from directory.models import ImportJob
from tests.directory.importing_helpers import write_xlsx
from training.models import DrillRecord, ReviewStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.UTC))


HEADERS = [
    "企业统一社会信用代码",
    "演练日期",
    "演练情景",
    "预案类型",
    "报警时间",
    "解除时间",
    "在场人数",
    "疏散人数",
    "满足义务",
    "观察员",
    "发现问题",
    "评估",
]


def rows(town):
    a, b = town["ent_a"].credit_code, town["ent_b"].credit_code
    return [
        # A fire evacuation drill meets the evacuation, plan and fire duties by what it is.
        [
            a,
            "2026-03-05",
            "火灾疏散",
            "综合应急预案",
            "14:00",
            "14:04:30",
            40,
            38,
            "",
            "王五",
            "",
            "",
        ],
        # A gas leak drill of the on-site plan that evacuated the workshop.
        [
            a,
            datetime.date(2026, 5, 20),
            "燃气泄漏",
            "现场处置方案",
            datetime.time(9, 30),
            "9:41",
            "12人",
            12,
            "疏散演练、现场处置方案演练",
            "",
            "阀门标识不清",
            "处置及时",
        ],
        [b, "2026/8/1", "有限空间救援", "专项应急预案", "10:00", "10:20", 6, 6, "", "", "", ""],
    ]


def test_drills_import_with_their_duties_and_twice_changes_nothing(town, tmp_path):
    path = write_xlsx(tmp_path / "drills.xlsx", HEADERS, rows(town))
    dry = import_file(kind="drill_records", path=path, dry_run=True)
    assert dry.ok, dry.lines()
    assert dry.counts["new"] == 3
    assert not DrillRecord.objects.exists()

    report = import_file(kind="drill_records", path=path, dry_run=False)
    assert report.written, report.lines()
    fire = DrillRecord.objects.get(scenario="fire_evacuation")
    assert fire.duty_labels == "疏散演练、综合或专项应急预案演练、消防演练"
    gas = DrillRecord.objects.get(scenario="gas_leak")
    assert gas.duty_labels == "疏散演练、现场处置方案演练"
    assert (gas.alarm_time, gas.headcount, gas.problems_found) == (
        datetime.time(9, 30),
        12,
        "阀门标识不清",
    )
    rescue = DrillRecord.objects.get(scenario="confined_space_rescue")
    assert rescue.duty_labels == "综合或专项应急预案演练"
    assert {r.review_status for r in DrillRecord.objects.all()} == {ReviewStatus.SUBMITTED}

    again = import_file(kind="drill_records", path=path, dry_run=False)
    assert again.counts["skip"] == 3 and DrillRecord.objects.count() == 3


def test_changed_row_updates_the_record_and_sends_it_back_to_review(town, tmp_path):
    path = write_xlsx(tmp_path / "drills.xlsx", HEADERS, rows(town))
    import_file(kind="drill_records", path=path, dry_run=False)
    DrillRecord.objects.update(review_status=ReviewStatus.ACCEPTED)
    changed = rows(town)
    changed[1][8] = "现场处置方案演练"  # the workshop was not evacuated after all
    path = write_xlsx(tmp_path / "changed.xlsx", HEADERS, changed)
    report = import_file(kind="drill_records", path=path, dry_run=False)
    assert (report.counts["update"], report.counts["skip"]) == (1, 2), report.lines()
    gas = DrillRecord.objects.get(scenario="gas_leak")
    assert gas.duty_labels == "现场处置方案演练"
    assert gas.review_status == ReviewStatus.SUBMITTED


def test_bad_rows_are_named_in_chinese_and_nothing_is_written(town, tmp_path):
    """The duty refusals are rules.duty_refusal's words (公安部61号令 第四十条: only a fire
    evacuation drill meets the fire-drill duty; 第三十三条: the plan duties by plan type)."""
    a = town["ent_a"].credit_code
    good = rows(town)[0]
    bad = [
        good,
        ["91310118MA1JXXXXXX", *good[1:]],
        [a, "2026-04-01", "台风", *good[3:]],
        [a, "2026-04-02", "燃气泄漏", "现场处置方案", "9:00", "9:10", 5, 5, "消防演练", "", "", ""],
        [a, "2026-04-03", "有限空间救援", "专项应急预案", "9:00", "9:10", 5, 5, "疏散", "", "", ""],
        [a, "2026-10-01", *good[2:]],
        [a, "2026-04-04", "火灾疏散", "综合应急预案", "9:00", "9:10", 5, 9, "", "", "", ""],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", HEADERS, bad)
    report = import_file(kind="drill_records", path=path, dry_run=False)
    assert not report.written
    assert not DrillRecord.objects.exists()
    errors = {row.row: "；".join(row.errors) for row in report.error_rows}
    assert set(errors) == {3, 4, 5, 6, 7, 8}
    assert errors[3].startswith("企业统一社会信用代码：") and "91310118MA1JXXXXXX" in errors[3]
    assert errors[4].startswith("演练情景：") and "台风" in errors[4]
    assert errors[5] == "满足义务：消防演练：只有火灾疏散演练才能满足消防演练义务。"
    assert "满足义务：疏散演练" in errors[6]
    assert errors[7] == "演练日期：演练日期不能晚于今天。"
    assert errors[8] == "疏散人数：疏散人数不能超过在场人数。"


def test_unknown_duty_name_lists_the_names(town, tmp_path):
    row = rows(town)[0]
    row[8] = "疏散演练、安全培训"
    report = import_file(
        kind="drill_records",
        path=write_xlsx(tmp_path / "d.xlsx", HEADERS, [row]),
        dry_run=True,
    )
    (bad,) = report.error_rows
    assert bad.errors[0].startswith("满足义务：")
    assert "安全培训" in bad.errors[0] and "消防演练" in bad.errors[0]


def test_manager_imports_drills_of_own_enterprise_only(accounts, town, tmp_path):
    path = write_xlsx(tmp_path / "drills.xlsx", HEADERS, rows(town))
    report = import_file(
        kind="drill_records",
        path=path,
        viewer=accounts[AccountRole.ENTERPRISE_MANAGER],
        dry_run=False,
    )
    assert not report.written
    assert [row.row for row in report.error_rows] == [4]
    assert report.error_rows[0].errors == ("无权为该企业记录演练。",)
    assert not DrillRecord.objects.exists()

    own = write_xlsx(tmp_path / "own.xlsx", HEADERS, rows(town)[:2])
    report = import_file(
        kind="drill_records",
        path=own,
        viewer=accounts[AccountRole.ENTERPRISE_MANAGER],
        dry_run=False,
    )
    assert report.written
    assert set(DrillRecord.objects.values_list("enterprise", flat=True)) == {town["ent_a"].pk}
    assert DrillRecord.objects.filter(recorded_by=accounts[AccountRole.ENTERPRISE_MANAGER]).count()


def test_command_checks_and_exits_non_zero_on_errors(town, tmp_path):
    path = write_xlsx(tmp_path / "drills.xlsx", HEADERS, rows(town))
    call_command("import_data", "drill_records", str(path), "--dry-run")
    assert not DrillRecord.objects.exists()
    bad = rows(town)[:1]
    bad[0][7] = 41
    with pytest.raises(CommandError):
        call_command(
            "import_data", "drill_records", str(write_xlsx(tmp_path / "b.xlsx", HEADERS, bad))
        )
    assert not DrillRecord.objects.exists()


def test_back_office_offers_the_template_and_imports(
    client, accounts, town, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    response = client.get(reverse("directory_imports:template", args=["drill_records", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert "drill_records" in client.get(reverse("directory_imports:index")).content.decode()

    path = write_xlsx(tmp_path / "d.xlsx", HEADERS, rows(town))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory_imports:index"),
            {"kind": "drill_records", "file": SimpleUploadedFile("d.xlsx", path.read_bytes())},
        )
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory_imports:confirm", args=[job.pk]))
    assert DrillRecord.objects.count() == 3

"""`import_data tasks`: a real XLSX task list imported through the registry's import service;
every kind of bad input refused whole, with the row numbers, in Chinese; re-import idempotent."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from directory.importing.services import import_file
from plan.models import Task, TaskStatus, TaskUnit, TaskUnitRole, TaskYearGoal
from tests.factories.plan import PlanItemFactory

HEADERS = [
    "任务编号",
    "方案条目",
    "任务名称",
    "牵头单位",
    "配合单位",
    "完成时限",
    "指标",
    "指标目标",
    "工作成果",
    "2024年目标",
    "2025年目标",
    "2026年目标",
    "状态",
    "完成日期",
]


def row(key="T-1", item="二(三)9", title="主要负责人专题培训", lead="经发办", coop="", **kw):
    values = {
        "完成时限": datetime.date(2024, 12, 31),
        "指标": "",
        "指标目标": None,
        "工作成果": "",
        "2024年目标": "",
        "2025年目标": "",
        "2026年目标": "",
        "状态": "未开始",
        "完成日期": None,
        **kw,
    }
    return [key, item, title, lead, coop, *(values[h] for h in HEADERS[5:])]


def write(tmp_path, rows, name="tasks.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for cells in rows:
        sheet.append(cells)
    path = tmp_path / name
    workbook.save(path)
    return path


@pytest.fixture
def items(town):
    PlanItemFactory(code="二(三)9", part="二", number=9)
    PlanItemFactory(code="二(三)10", part="二", number=10)
    PlanItemFactory(code="三(二)", part="三", number=None)


def good_rows():
    return [
        row(
            "T-1",
            coop="规建办、各村居",
            指标="principal_training",
            指标目标=100,
            **{"2024年目标": "全覆盖", "2025年目标": "全覆盖"},
        ),
        # The plan's own words for a deadline, and the metric by its Chinese name.
        row("T-2", "二(三)10", "判定标准汇编", "镇安委办", "各成员单位", 完成时限="2024年5月底前"),
        # Full-width brackets as Chinese Excel writes them.
        row("T-3", "三（二）", "子方案", "各成员单位", 完成时限="2024年4月中旬"),
        row(
            "T-4",
            "二(三)10",
            "学习宣贯",
            "规建办",
            指标="判定标准学习开展率",
            状态="已完成",
            完成日期=datetime.date(2024, 11, 20),
        ),
    ]


def test_a_good_file_is_checked_imported_and_imported_again_unchanged(items, town, tmp_path):
    from tests.factories import DepartmentFactory

    DepartmentFactory(name="镇安委办", is_town_office=True)
    path = write(tmp_path, good_rows())
    dry = import_file(kind="tasks", path=path, dry_run=True)
    assert dry.ok, dry.lines()
    assert not Task.objects.exists()

    report = import_file(kind="tasks", path=path, dry_run=False)
    assert report.ok, report.lines()
    assert report.counts["new"] == 4
    tasks = {t.key: t for t in Task.objects.all()}
    one = tasks["T-1"]
    units = {(str(u), u.role) for u in one.units.all()}
    assert units == {
        ("经发办", TaskUnitRole.LEAD),
        ("规建办", TaskUnitRole.COOPERATING),
        ("徐泾村", TaskUnitRole.COOPERATING),
        ("金云村", TaskUnitRole.COOPERATING),
    }
    assert [(g.year, g.goal) for g in one.year_goals.all()] == [(2024, "全覆盖"), (2025, "全覆盖")]
    assert one.indicator_metric == "principal_training"
    assert tasks["T-2"].deadline == datetime.date(2024, 5, 31)
    # 各成员单位: the member departments, not the town office that leads.
    assert {str(u) for u in tasks["T-2"].units.filter(role=TaskUnitRole.COOPERATING)} == {
        "经发办",
        "规建办",
    }
    assert tasks["T-3"].plan_item.code == "三(二)"
    assert tasks["T-3"].deadline == datetime.date(2024, 4, 15)
    assert tasks["T-4"].indicator_metric == "criteria_study"
    assert tasks["T-4"].status == TaskStatus.DONE

    again = import_file(kind="tasks", path=path, dry_run=False)
    assert again.counts["skip"] == 4 and again.counts["new"] == again.counts["update"] == 0

    # A changed unit list or goal is an update, and the stored lists follow the file.
    changed = good_rows()
    changed[0] = row("T-1", coop="金云村", **{"2024年目标": "全覆盖"})
    report = import_file(kind="tasks", path=write(tmp_path, changed, "b.xlsx"), dry_run=False)
    assert report.counts["update"] == 1 and report.counts["skip"] == 3
    one = Task.objects.get(key="T-1")
    assert {str(u) for u in one.units.all()} == {"经发办", "金云村"}
    assert [g.year for g in one.year_goals.all()] == [2024]


BAD = [
    # (what is wrong, the bad row, words of the reason)
    ("unknown unit", row("T-9", lead="经发办、不存在办"), ["牵头单位", "不存在办"]),
    ("unknown cooperating unit", row("T-9", coop="火星村"), ["配合单位", "火星村"]),
    ("no lead unit", row("T-9", lead=""), ["牵头单位"]),
    ("not a date", row("T-9", 完成时限="明年春天"), ["完成时限", "明年春天"]),
    ("no such day", row("T-9", 完成时限="2024-02-30"), ["完成时限", "2024-02-30"]),
    ("outside the plan", row("T-9", 完成时限=datetime.date(2030, 1, 1)), ["完成时限", "2030"]),
    ("no deadline", row("T-9", 完成时限=None), ["完成时限"]),
    ("missing plan item", row("T-9", item="二(三)99"), ["方案条目", "二(三)99"]),
    ("empty plan item", row("T-9", item=""), ["方案条目"]),
    ("unknown indicator", row("T-9", 指标="满意度"), ["指标", "满意度"]),
    ("done without date", row("T-9", 状态="已完成"), ["完成日期"]),
    ("lead and cooperating", row("T-9", coop="经发办"), ["配合单位"]),
    ("same number twice", row("T-1"), ["任务编号", "第 2 行"]),
]


@pytest.mark.parametrize(("what", "bad", "words"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_row_refuses_the_whole_file_naming_its_row(items, tmp_path, what, bad, words):
    good = row("T-1")
    path = write(tmp_path, [good, row("T-2", "二(三)10"), bad])
    with translation.override("zh-hans"):
        report = import_file(kind="tasks", path=path, dry_run=False)
        lines = report.lines()
    assert not report.ok
    assert not report.written
    assert [r.row for r in report.error_rows] == [4]
    line = next(line for line in lines if line.startswith("第 4 行"))
    for word in words:
        assert word in line, line
    # Nothing written half-way: not the good rows before it, nor any unit or goal.
    assert not Task.objects.exists()
    assert not TaskUnit.objects.exists()
    assert not TaskYearGoal.objects.exists()


def test_the_command_refuses_a_bad_file_in_chinese_and_writes_nothing(items, tmp_path):
    path = write(tmp_path, [row("T-1"), row("T-2", lead="不存在办"), row("T-3", 完成时限="某天")])
    out = io.StringIO()
    with translation.override("zh-hans"), pytest.raises(CommandError):
        call_command("import_data", "tasks", str(path), stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "第 3 行" in text and "不存在办" in text
    assert "第 4 行" in text and "某天" in text
    assert not Task.objects.exists()


def test_an_officer_cannot_import_tasks(items, accounts, tmp_path):
    from directory.constants import AccountRole

    path = write(tmp_path, [row("T-1")])
    report = import_file(
        kind="tasks", path=path, dry_run=False, viewer=accounts[AccountRole.DEPARTMENT_OFFICER]
    )
    assert not report.ok and not Task.objects.exists()
    report = import_file(
        kind="tasks", path=path, dry_run=False, viewer=accounts[AccountRole.TOWN_OFFICE]
    )
    assert report.ok, report.lines()


def test_a_file_of_the_required_columns_only_leaves_the_rest_as_stored(items, town, tmp_path):
    full = [row("T-1", coop="规建办", **{"2025年目标": "全覆盖"})]
    assert import_file(kind="tasks", path=write(tmp_path, full), dry_run=False).ok
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["任务编号", "方案条目", "任务名称", "牵头单位", "完成时限"])
    sheet.append(["T-1", "二(三)9", "改过的名称", "经发办", "2024年底前"])
    sheet.append(["T-2", "二(三)9", "新任务", "规建办", "2025-06-30"])
    path = tmp_path / "short.xlsx"
    workbook.save(path)
    report = import_file(kind="tasks", path=path, dry_run=False)
    assert report.ok, report.lines()
    assert report.counts["update"] == 1 and report.counts["new"] == 1
    one = Task.objects.get(key="T-1")
    assert one.title == "改过的名称"
    assert {(str(u), u.role) for u in one.units.all()} == {
        ("经发办", TaskUnitRole.LEAD),
        ("规建办", TaskUnitRole.COOPERATING),
    }
    assert [(g.year, g.goal) for g in one.year_goals.all()] == [(2025, "全覆盖")]
    two = Task.objects.get(key="T-2")
    assert [str(u) for u in two.units.all()] == ["规建办"]
    assert not two.year_goals.exists()


def test_the_back_office_offers_the_tasks_template(client, accounts):
    from django.urls import reverse
    from openpyxl import load_workbook

    from directory.constants import AccountRole

    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    response = client.get(reverse("directory_imports:template", args=["tasks", "xlsx"]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS

"""The plan's seed file: every numbered item of the plan's 二 and 三 as a plan item with at least
one task and one unit, dates as the plan states them, loaded idempotently."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from directory.constants import LEAD_DEPARTMENTS, TOWN_OFFICE_NAME
from directory.models import Department, Village
from plan.models import PlanItem, Task, TaskUnitRole
from plan.tasklist.services import SEED_FILE, plan_tasks_load

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def units(db):
    for order, name in enumerate([TOWN_OFFICE_NAME, *LEAD_DEPARTMENTS]):
        Department.objects.create(
            name=name, sort_order=order, is_town_office=name == TOWN_OFFICE_NAME
        )
    for name in ("徐泾村", "金云村", "徐泾居委会"):
        Village.objects.create(name=name)


def seed_codes(part: str) -> set[str]:
    """The plan items the seed file's 方案条目 sheet lists for a part of the plan."""
    sheet = load_workbook(SEED_FILE, read_only=True)["方案条目"]
    return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1] == part}


def test_every_numbered_item_of_parts_two_and_three_has_a_task_with_a_unit(units):
    plan_tasks_load()
    items = {item.code: item for item in PlanItem.objects.prefetch_related("tasks__units")}
    # 二: the numbered items 1–28 of the ten actions, numbered through; 三: its three stages.
    numbers = sorted(item.number for item in items.values() if item.part == "二")
    assert numbers == list(range(1, 29))
    assert {code for code, item in items.items() if item.part == "三"} == {
        "三(一)",
        "三(二)",
        "三(三)",
    }
    # And 五(六), the task list's own mechanism (monthly reports before the 26th), where the
    # tasks a dispatch meeting decides on join the list.
    assert set(items) == seed_codes("二") | seed_codes("三") | {"五(六)"}
    for code, item in items.items():
        tasks = list(item.tasks.all())
        assert tasks, code
        for task in tasks:
            assert any(u.role == TaskUnitRole.LEAD for u in task.units.all()), task.key
    # Items the reference states (regulations.md §8) keep their place and content.
    assert items["二(三)9"].section.startswith("重大事故隐患判定标准")
    assert "应急疏散演练" in items["二(七)21"].text
    # Nothing is presented as the issued wording until the town office confirms it.
    assert not PlanItem.objects.filter(confirmed=True).exists()


def test_the_seed_carries_the_plans_dates_units_goals_and_indicators(units):
    plan_tasks_load()
    tasks = {task.key: task for task in Task.objects.prefetch_related("units", "year_goals")}
    assert tasks["二(三)10-1"].deadline == datetime.date(2024, 5, 31)  # 5月底前
    assert tasks["二(三)10-2"].deadline == datetime.date(2024, 12, 31)  # 2024年底前
    assert tasks["三(二)-1"].deadline == datetime.date(2024, 4, 15)  # 2024年4月中旬
    assert tasks["二(三)10-2"].indicator_metric == "criteria_study"
    assert tasks["二(七)21-1"].indicator_metric == "drill_coverage"
    assert tasks["二(七)21-1"].indicator_target == 100
    # 管行业必须管安全: each member department leads its own sub-plan; 各村居 names every village.
    sub_plan = tasks["三(二)-1"]
    leads = {u.department.name for u in sub_plan.units.all() if u.role == TaskUnitRole.LEAD}
    assert leads == set(LEAD_DEPARTMENTS)
    drills = tasks["二(七)21-1"]
    assert {u.village.name for u in drills.units.all() if u.village_id} == {
        "徐泾村",
        "金云村",
        "徐泾居委会",
    }
    # Yearly goals where the plan sets them (逐年确定工作目标).
    assert [g.year for g in tasks["二(三)9-1"].year_goals.all()] == [2024, 2025, 2026]
    assert [g.year for g in tasks["二(三)10-1"].year_goals.all()] == [2024]


def test_a_second_run_writes_nothing_and_keeps_the_town_offices_edits(units):
    out = io.StringIO()
    call_command("load_plan_tasks", stdout=out)
    assert "32" in out.getvalue()
    counts = (PlanItem.objects.count(), Task.objects.count())
    Task.objects.filter(key="二(三)10-1").update(title="已由镇安委办修改")
    with CaptureQueriesContext(connection) as queries:
        out = io.StringIO()
        call_command("load_plan_tasks", stdout=out)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert "0" in out.getvalue()
    assert (PlanItem.objects.count(), Task.objects.count()) == counts
    assert Task.objects.get(key="二(三)10-1").title == "已由镇安委办修改"


def test_without_the_units_it_names_the_seed_is_refused_whole(db):
    Department.objects.create(name=TOWN_OFFICE_NAME, is_town_office=True)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        call_command("load_plan_tasks", stdout=io.StringIO())
    assert "规建办" in str(refused.value)
    assert not PlanItem.objects.exists()
    assert not Task.objects.exists()

"""The task list's back-office screens: the town office lists, filters, creates and edits tasks
with their units and yearly goals; a unit reads only the tasks it takes part in and edits none;
the unconfirmed wording of a plan item is announced on every screen that shows it."""

import datetime

import pytest
from django.urls import reverse

from directory.constants import AccountRole
from plan.models import PlanItem, Task, TaskStatus, TaskUnitRole
from tests.export_helpers import export_get
from tests.factories.plan import PlanItemFactory, TaskFactory, TaskUnitFactory

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
NOTICE = "待镇安委办核对"


@pytest.fixture
def tasks(town):
    item = PlanItemFactory(code="二(三)9", part="二", number=9, text="主要负责人培训全覆盖")
    part_three = PlanItemFactory(code="三(二)", part="三", number=None, confirmed=True)
    mine = TaskFactory(
        plan_item=item, key="T-A", title="经发办牵头的任务", deadline=datetime.date(2024, 12, 31)
    )
    TaskUnitFactory(task=mine, department=town["dept_a"])
    TaskUnitFactory(task=mine, village=town["village_a"], role=TaskUnitRole.COOPERATING)
    other = TaskFactory(
        plan_item=part_three,
        key="T-B",
        title="规建办牵头的任务",
        deadline=datetime.date(2099, 12, 31),
        status=TaskStatus.IN_PROGRESS,
    )
    TaskUnitFactory(task=other, department=town["dept_b"])
    return {"mine": mine, "other": other}


def listed(response) -> set[str]:
    text = response.content.decode()
    return {title for title in ("经发办牵头的任务", "规建办牵头的任务") if title in text}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (TOWN, {"经发办牵头的任务", "规建办牵头的任务"}),
        (DEPT, {"经发办牵头的任务"}),
        (VILLAGE, {"经发办牵头的任务"}),
    ],
)
def test_a_unit_lists_only_the_tasks_it_takes_part_in(client, accounts, tasks, role, expected):
    client.force_login(accounts[role])
    response = client.get(reverse("plan_tasks:index"))
    assert response.status_code == 200
    assert listed(response) == expected
    # 二(三)9 is a summary until confirmed: the list says so.
    assert NOTICE in response.content.decode()


def test_filters_by_part_unit_status_and_year(client, accounts, town, tasks):
    client.force_login(accounts[TOWN])
    url = reverse("plan_tasks:index")
    assert listed(client.get(url, {"part": "三"})) == {"规建办牵头的任务"}
    assert listed(client.get(url, {"unit": f"d{town['dept_a'].pk}"})) == {"经发办牵头的任务"}
    assert listed(client.get(url, {"unit": f"v{town['village_a'].pk}"})) == {"经发办牵头的任务"}
    # 2024年12月31日 has passed and the task is not done: 逾期, never stored.
    response = client.get(url, {"current_status": "overdue"})
    assert listed(response) == {"经发办牵头的任务"}
    assert "逾期" in response.content.decode()
    assert listed(client.get(url, {"current_status": "in_progress"})) == {"规建办牵头的任务"}
    assert listed(client.get(url, {"year": "2024"})) == {"经发办牵头的任务"}


def test_the_town_office_creates_a_task_with_its_units_and_goals(client, accounts, town, tasks):
    client.force_login(accounts[TOWN])
    item = PlanItem.objects.get(code="二(三)9")
    response = client.get(reverse("plan_tasks:add"))
    assert NOTICE in response.content.decode()
    data = {
        "plan_item": item.pk,
        "key": "T-NEW",
        "title": "补训未覆盖的主要负责人",
        "deadline": "2025-12-31",
        "indicator_metric": "principal_training",
        "indicator_target": "100",
        "deliverable": "",
        "status": TaskStatus.NOT_STARTED,
        "completed_on": "",
        "lead_departments": [town["dept_b"].pk],
        "cooperating_villages": [town["village_a"].pk, town["village_b"].pk],
        "goal_2024": "",
        "goal_2025": "全覆盖",
        "goal_2026": "全覆盖",
    }
    response = client.post(reverse("plan_tasks:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    task = Task.objects.get(key="T-NEW")
    assert {(str(u), u.role) for u in task.units.all()} == {
        ("规建办", TaskUnitRole.LEAD),
        ("徐泾村", TaskUnitRole.COOPERATING),
        ("金云村", TaskUnitRole.COOPERATING),
    }
    assert [(g.year, g.goal) for g in task.year_goals.all()] == [(2025, "全覆盖"), (2026, "全覆盖")]


def test_the_town_office_edits_a_task_and_bad_input_is_refused(client, accounts, town, tasks):
    client.force_login(accounts[TOWN])
    task = tasks["mine"]
    url = reverse("plan_tasks:edit", args=[task.pk])
    page = client.get(url).content.decode()
    assert NOTICE in page and "经发办牵头的任务" in page
    base = {
        "plan_item": task.plan_item_id,
        "key": task.key,
        "title": "经发办牵头的任务（已修改）",
        "deadline": "2026-06-30",
        "indicator_metric": "",
        "indicator_target": "",
        "deliverable": "专题培训签到表",
        "status": TaskStatus.DONE,
        "completed_on": "",
        "lead_departments": [town["dept_a"].pk],
        "cooperating_departments": [town["dept_b"].pk],
        "goal_2024": "全覆盖",
        "goal_2025": "",
        "goal_2026": "",
    }
    # Completed without its date; a unit both leading and cooperating; no lead at all.
    response = client.post(url, base)
    assert response.status_code == 200
    assert "已完成的任务须填写完成日期" in response.content.decode()
    response = client.post(
        url, {**base, "completed_on": "2026-03-01", "cooperating_departments": [town["dept_a"].pk]}
    )
    assert "同一单位不能既是牵头单位又是配合单位" in response.content.decode()
    response = client.post(url, {**base, "completed_on": "2026-03-01", "lead_departments": []})
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.title == "经发办牵头的任务"

    response = client.post(url, {**base, "completed_on": "2026-03-01"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "经发办牵头的任务（已修改）"
    assert task.status == TaskStatus.DONE
    assert {(str(u), u.role) for u in task.units.all()} == {
        ("经发办", TaskUnitRole.LEAD),
        ("规建办", TaskUnitRole.COOPERATING),
    }
    assert [g.year for g in task.year_goals.all()] == [2024]


@pytest.mark.parametrize("role", [DEPT, VILLAGE])
def test_a_unit_reads_its_task_and_cannot_edit_or_reach_anothers(client, accounts, tasks, role):
    client.force_login(accounts[role])
    mine, other = tasks["mine"], tasks["other"]
    page = client.get(reverse("plan_tasks:inspect", args=[mine.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "经发办" in text and "徐泾村" in text and NOTICE in text
    assert reverse("plan_tasks:edit", args=[mine.pk]) not in text
    # Its own task: read-only; another unit's: not found. Wagtail answers a role without the
    # right by sending it back to the dashboard (302), never to the form.
    assert client.get(reverse("plan_tasks:inspect", args=[other.pk])).status_code == 404
    for url in (
        reverse("plan_tasks:edit", args=[mine.pk]),
        reverse("plan_tasks:edit", args=[other.pk]),
        reverse("plan_tasks:delete", args=[mine.pk]),
        reverse("plan_tasks:add"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        if response.status_code == 302:
            assert response.url == reverse("wagtailadmin_home")
        response = client.post(url, {"title": "改", "key": "X"})
        assert response.status_code in (302, 403, 404), url
    # The list offers no edit link either.
    index = client.get(reverse("plan_tasks:index")).content.decode()
    assert reverse("plan_tasks:edit", args=[mine.pk]) not in index
    mine.refresh_from_db()
    assert mine.title == "经发办牵头的任务"
    assert Task.objects.count() == 2


def test_the_town_office_confirms_a_plan_items_wording(client, accounts, tasks):
    client.force_login(accounts[TOWN])
    item = PlanItem.objects.get(code="二(三)9")
    response = client.post(
        reverse("plan_items:edit", args=[item.pk]),
        {"section": item.section, "text": "按原文核对后的条文", "confirmed": "on"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.confirmed and item.text == "按原文核对后的条文"
    # Confirmed: the notice is gone from the list.
    assert NOTICE not in client.get(reverse("plan_tasks:index")).content.decode()


def test_an_officer_cannot_change_a_plan_item(client, accounts, tasks):
    client.force_login(accounts[DEPT])
    item = PlanItem.objects.get(code="二(三)9")
    response = client.post(
        reverse("plan_items:edit", args=[item.pk]), {"text": "改", "confirmed": "on"}
    )
    assert response.status_code in (302, 403, 404)
    item.refresh_from_db()
    assert not item.confirmed


def test_the_list_exports_in_the_import_templates_columns(client, accounts, tasks):
    import io

    from openpyxl import load_workbook

    client.force_login(accounts[TOWN])
    response = export_get(client, reverse("plan_tasks:index"), {"export": "xlsx"})
    assert response.status_code == 200
    body = response.getvalue()
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("任务编号", "方案条目", "任务名称", "牵头单位", "配合单位")
    assert ("T-A", "二(三)9", "经发办牵头的任务", "经发办", "徐泾村") in {r[:5] for r in rows[1:]}


def test_the_list_reads_a_bounded_number_of_queries(client, accounts, town, tasks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(accounts[TOWN])
    url = reverse("plan_tasks:index")
    client.get(url)  # sessions, caches and the like warm up

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for number in range(30):
        task = TaskFactory(key=f"T-{number:02d}")
        TaskUnitFactory(task=task, department=town["dept_a"])
        TaskUnitFactory(task=task, village=town["village_b"], role=TaskUnitRole.COOPERATING)
    assert queries() == few


def test_the_town_office_deletes_a_task_with_its_units(client, accounts, tasks):
    from plan.models import TaskUnit

    client.force_login(accounts[TOWN])
    other = tasks["other"]
    response = client.post(reverse("plan_tasks:delete", args=[other.pk]))
    assert response.status_code == 302
    assert not Task.objects.filter(pk=other.pk).exists()
    assert not TaskUnit.objects.filter(task_id=other.pk).exists()

"""The town's task board: counts per unit and per plan part (hand-worked below), overdue first,
filters, a task's monthly history with its evidence, scoping, and the XLSX export."""

import datetime
import io

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from openpyxl import load_workbook

from directory.constants import AccountRole
from directory.models import ExportLogEntry
from plan.board.selectors import BoardFilters, board_tasks, counts_by_part, counts_by_unit
from plan.models import TaskEvidence, TaskYearGoal
from tests.factories.plan import (
    BoardProgressFactory,
    BoardReportFactory,
    PlanItemFactory,
    TaskFactory,
    TaskUnitFactory,
)

TODAY = datetime.date(2026, 6, 15)
D = datetime.date


@pytest.fixture
def board(town):
    """Six tasks on 15 June 2026 (columns: overdue, not started, in progress, done):

    task  part  deadline    stored       reads        lead       cooperating
    T1    二    2026-03-31  not started  overdue      经发办     徐泾村
    T2    二    2026-12-31  in progress  in progress  经发办     —          (goal for 2027 too)
    T3    三    2026-05-31  in progress  overdue      规建办     经发办
    T4    三    2026-03-31  done 4-01    done         徐泾村     —
    T5    三    2026-06-01  in progress  overdue      规建办     —
    T6    二    2027-06-30  not started  not started  金云村     —          (goal for 2027)

    By part:  三 3 tasks (2, 0, 0, 1) before 二 3 tasks (1, 1, 1, 0): more overdue first.
    By unit:  经发办 3 (lead 2; 2, 0, 1, 0), 规建办 2 (lead 2; 2, 0, 0, 0),
              徐泾村 2 (lead 1; 1, 0, 0, 1), 金云村 1 (lead 1; 0, 1, 0, 0).
    """
    two = PlanItemFactory(code="二(一)1", part="二", sort_key=1, text="安全生产责任落实")
    three = PlanItemFactory(code="三(一)1", part="三", sort_key=10, text="重点行业整治")

    def task(key, item, deadline, status="not_started", lead=None, cooperating=(), done=None):
        made = TaskFactory(
            key=key,
            title=f"任务{key}",
            plan_item=item,
            deadline=deadline,
            status=status,
            completed_on=done,
        )
        for role, names in (("lead", [lead]), ("cooperating", cooperating)):
            for name in names:
                kind = "department" if name.startswith("dept") else "village"
                TaskUnitFactory(task=made, role=role, **{kind: town[name]})
        return made

    tasks = {
        "T1": task("T1", two, D(2026, 3, 31), lead="dept_a", cooperating=["village_a"]),
        "T2": task("T2", two, D(2026, 12, 31), "in_progress", lead="dept_a"),
        "T3": task("T3", three, D(2026, 5, 31), "in_progress", "dept_b", ["dept_a"]),
        "T4": task("T4", three, D(2026, 3, 31), "done", lead="village_a", done=D(2026, 4, 1)),
        "T5": task("T5", three, D(2026, 6, 1), "in_progress", lead="dept_b"),
        "T6": task("T6", two, D(2027, 6, 30), lead="village_b"),
    }
    TaskYearGoal.objects.create(task=tasks["T2"], year=2027, goal="巩固提升")
    TaskYearGoal.objects.create(task=tasks["T6"], year=2027, goal="全面完成")
    return tasks


def _counts(rows):
    return [(row.label, row.total, row.lead, row.by_status) for row in rows]


def test_counts_per_part_and_per_unit_overdue_first(accounts, board):
    town_office = accounts[AccountRole.TOWN_OFFICE]
    tasks = board_tasks(town_office, today=TODAY)
    assert [t.key for t in tasks] == ["T1", "T3", "T5", "T4", "T2", "T6"]
    assert _counts(counts_by_part(tasks)) == [
        ("三", 3, None, [2, 0, 0, 1]),
        ("二", 3, None, [1, 1, 1, 0]),
    ]
    assert _counts(counts_by_unit(town_office, tasks)) == [
        ("经发办", 3, 2, [2, 0, 1, 0]),
        ("规建办", 2, 2, [2, 0, 0, 0]),
        ("徐泾村", 2, 1, [1, 0, 0, 1]),
        ("金云村", 1, 1, [0, 1, 0, 0]),
    ]


def test_overdue_is_read_on_the_day(accounts, board):
    # Before T1's deadline nothing is overdue yet.
    tasks = board_tasks(accounts[AccountRole.TOWN_OFFICE], today=D(2026, 3, 1))
    assert all(row.by_status[0] == 0 for row in counts_by_part(tasks))


def test_filters_narrow_the_tasks_and_the_counts(accounts, town, board):
    town_office = accounts[AccountRole.TOWN_OFFICE]

    def keys(**filters):
        return [t.key for t in board_tasks(town_office, BoardFilters(**filters), today=TODAY)]

    assert keys(year=2027) == ["T2", "T6"]
    assert keys(part="二") == ["T1", "T2", "T6"]
    assert keys(unit=("village", town["village_a"].pk)) == ["T1", "T4"]
    assert keys(unit=("department", town["dept_a"].pk), status="overdue") == ["T1", "T3"]
    tasks = board_tasks(town_office, BoardFilters(part="三"), today=TODAY)
    assert _counts(counts_by_unit(town_office, tasks)) == [
        ("规建办", 2, 2, [2, 0, 0, 0]),
        ("经发办", 1, 0, [1, 0, 0, 0]),
        ("徐泾村", 1, 1, [0, 0, 0, 1]),
    ]


@time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False)
def test_the_board_page_shows_counts_and_tasks_in_bounded_queries(
    client, accounts, town, board, django_assert_max_num_queries
):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    assert reverse("plan_board") in client.get(reverse("wagtailadmin_home")).content.decode()
    with django_assert_max_num_queries(20):
        page = client.get(reverse("plan_board")).content.decode()
    for word in ("未开始", "推进中", "已完成", "逾期", "经发办", "金云村", "三", "2026年3月31日"):
        assert word in page
    assert page.index("任务T1") < page.index("任务T4") < page.index("任务T6")
    # A unit's name narrows the board to its tasks, keeping the other filters.
    filtered = client.get(reverse("plan_board"), {"year": "2027"}).content.decode()
    assert f"?year=2027&amp;unit=village-{town['village_b'].pk}" in filtered
    # Six more tasks with their units and goals: the same number of queries.
    for n in range(6):
        extra = TaskFactory(key=f"X{n}", plan_item=board["T1"].plan_item)
        TaskUnitFactory(task=extra, department=town["dept_a"])
        TaskYearGoal.objects.create(task=extra, year=2026, goal="目标")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("plan_board"), {"year": "2026"})
    assert response.context["items"].paginator.count == 11


@time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False)
def test_a_department_sees_its_own_tasks_and_row_only(client, accounts, town, board):
    client.force_login(accounts[AccountRole.DEPARTMENT_OFFICER])
    response = client.get(reverse("plan_board"))
    assert response.status_code == 200
    assert [row.key for row in response.context["rows"]] == ["T1", "T3", "T2"]
    assert _counts(response.context["units"]) == [("经发办", 3, 2, [2, 0, 1, 0])]
    # Another unit in the filter is not offered and filters nothing.
    other = client.get(reverse("plan_board"), {"unit": f"department-{town['dept_b'].pk}"})
    assert [row.key for row in other.context["rows"]] == ["T1", "T3", "T2"]
    assert client.get(reverse("plan_board_task", args=[board["T5"].pk])).status_code == 404
    assert client.get(reverse("plan_board_task", args=[board["T3"].pk])).status_code == 200


@pytest.mark.parametrize("role", [AccountRole.ENTERPRISE_MANAGER, AccountRole.EDITOR])
def test_roles_without_tasks_are_refused(client, accounts, board, role):
    client.force_login(accounts[role])
    # The back office answers a refusal by sending the user to its home with a message.
    for name in ("plan_board", "plan_board_export"):
        response = client.get(reverse(name))
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("plan_board") not in home


@pytest.fixture
def history(town, board, settings, tmp_path):
    """T1's months: 经发办 in April and May, 徐泾村 in May; a draft for June is not shown."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    task = board["T1"]

    def line(unit, month, status="submitted", **fields):
        kind = "department" if unit.startswith("dept") else "village"
        report = BoardReportFactory(**{kind: town[unit]}, month=month, status=status)
        return BoardProgressFactory(task=task, report=report, **fields)

    april = line("dept_a", 4, progress="制定方案", percent=20)
    may = line("dept_a", 5, progress="组织培训", percent=60, problems="人手不足")
    line("village_a", 5, "accepted", progress="配合排查", indicator_value="12.0")
    line("dept_a", 6, "draft", progress="草稿未报送")
    evidence = TaskEvidence(progress=may, name="培训签到表.pdf")
    evidence.file.save("sign.pdf", ContentFile(b"%PDF-1.4 sign-in"), save=True)
    return {"april": april, "may": may, "evidence": evidence}


def test_a_task_drills_down_to_its_monthly_history(
    client, accounts, board, history, django_assert_max_num_queries
):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    # Units, goals, lines and their files each read once, however many months.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("plan_board_task", args=[board["T1"].pk]))
    months = [
        (
            label,
            [(str(line.report.department or line.report.village), line.percent) for line in lines],
        )
        for label, lines in response.context["months"]
    ]
    assert months == [
        ("2026年5月", [("经发办", 60), ("徐泾村", None)]),
        ("2026年4月", [("经发办", 20)]),
    ]
    page = response.content.decode()
    assert "二(一)1" in page and "data-plan-unconfirmed" in page
    assert "人手不足" in page and "12.0" in page and "草稿未报送" not in page
    link = reverse("plan_progress:evidence", args=[history["evidence"].pk])
    assert link in page
    file = client.get(link)
    assert file.status_code == 200
    assert b"".join(file.streaming_content) == b"%PDF-1.4 sign-in"
    assert "no-store" in file["Cache-Control"]


def test_a_village_sees_only_its_own_months_and_files(client, accounts, board, history):
    client.force_login(accounts[AccountRole.VILLAGE_OFFICER])
    response = client.get(reverse("plan_board_task", args=[board["T1"].pk]))
    assert [label for label, _lines in response.context["months"]] == ["2026年5月"]
    assert "组织培训" not in response.content.decode()
    evidence = reverse("plan_progress:evidence", args=[history["evidence"].pk])
    assert client.get(evidence).status_code == 404


@time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False)
def test_the_export_holds_the_filtered_tasks_and_the_counts(client, accounts, board):
    board["T2"].title = '=HYPERLINK("http://evil")'
    board["T2"].save()
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    response = client.get(reverse("plan_board_export"), {"part": "二"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    tasks, units, parts = (list(ws.iter_rows(values_only=True)) for ws in book.worksheets)
    assert book.sheetnames == ["任务", "按单位", "按方案部分"]
    assert tasks[0] == ("任务编号", "方案条目", "任务", "牵头单位", "配合单位", "完成时限", "状态")
    assert tasks[1:] == [
        ("T1", "二(一)1", "任务T1", "经发办", "徐泾村", "2026年3月31日", "逾期"),
        (
            "T2",
            "二(一)1",
            '\'=HYPERLINK("http://evil")',
            "经发办",
            None,
            "2026年12月31日",
            "推进中",
        ),
        ("T6", "二(一)1", "任务T6", "金云村", None, "2027年6月30日", "未开始"),
    ]
    assert units[1:] == [
        ("经发办", 2, 2, 1, 0, 1, 0),
        ("徐泾村", 1, 0, 1, 0, 0, 0),
        ("金云村", 1, 1, 0, 1, 0, 0),
    ]
    assert parts[1:] == [("二", 3, 1, 1, 1, 0)]
    log = ExportLogEntry.objects.get()
    assert log.rows == 3 and "part=" in log.query


def test_a_village_exports_its_own_tasks_only(client, accounts, board):
    client.force_login(accounts[AccountRole.VILLAGE_OFFICER])
    response = client.get(reverse("plan_board_export"))
    book = load_workbook(io.BytesIO(response.content))
    tasks = list(book.worksheets[0].iter_rows(values_only=True))
    assert sorted(row[0] for row in tasks[1:]) == ["T1", "T4"]
    assert [row[0] for row in book.worksheets[1].iter_rows(values_only=True)][1:] == ["徐泾村"]


def test_the_status_words_are_the_plans():
    from django.utils import translation

    from plan.models import TaskStatus
    from training.exams.models.attempts import AttemptStatus

    with translation.override("zh-hans"):
        assert [str(label) for _value, label in TaskStatus.choices] == [
            "未开始",
            "推进中",
            "已完成",
            "逾期",
        ]
        # An exam in progress keeps its own word.
        assert str(AttemptStatus.STARTED.label) == "进行中"


def test_the_town_office_follows_a_task_up_from_its_page(client, accounts, town, board):
    """The task page links the town office to a 督办 with the task and its lead unit chosen."""
    task = board["T3"]
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    page = client.get(reverse("plan_board_task", args=[task.pk])).content.decode()
    query = urlencode({"task": task.pk, "unit": f"department:{town['dept_b'].pk}"})
    link = f"{reverse('plan_followup:order_issue')}?{query}"
    assert f'href="{escape(link)}"' in page
    form = client.get(link).context["form"]
    assert form["task"].value() == str(task.pk)
    assert form["unit"].value() == f"department:{town['dept_b'].pk}"

    client.force_login(accounts[AccountRole.DEPARTMENT_OFFICER])
    page = client.get(reverse("plan_board_task", args=[task.pk])).content.decode()
    assert "task-follow-up" not in page

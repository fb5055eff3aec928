import datetime

import pytest
from django.db import IntegrityError

from directory.constants import AccountRole
from plan.models import Task, TaskStatus
from plan.tasklist.selectors import tasks_editable_by, tasks_visible_to, tasks_with_status
from tests.factories.plan import TaskFactory, TaskUnitFactory


@pytest.fixture
def tasks(town):
    mine = TaskFactory(title="经发办牵头")
    TaskUnitFactory(task=mine, department=town["dept_a"])
    coop = TaskFactory(title="徐泾村配合")
    TaskUnitFactory(task=coop, department=town["dept_b"])
    TaskUnitFactory(task=coop, village=town["village_a"], role="cooperating")
    other = TaskFactory(title="规建办牵头")
    TaskUnitFactory(task=other, department=town["dept_b"])
    return {"mine": mine, "coop": coop, "other": other}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (AccountRole.TOWN_OFFICE, {"经发办牵头", "徐泾村配合", "规建办牵头"}),
        (AccountRole.DEPARTMENT_OFFICER, {"经发办牵头"}),
        (AccountRole.VILLAGE_OFFICER, {"徐泾村配合"}),
        (AccountRole.ENTERPRISE_MANAGER, set()),
        (AccountRole.LEARNER, set()),
        (AccountRole.EDITOR, set()),
    ],
)
def test_a_unit_sees_the_tasks_it_has_a_part_in(accounts, tasks, role, expected):
    assert {t.title for t in tasks_visible_to(accounts[role])} == expected


def test_only_the_town_office_edits_tasks(accounts, tasks):
    assert tasks_editable_by(accounts[AccountRole.TOWN_OFFICE]).count() == 3
    assert not tasks_editable_by(accounts[AccountRole.DEPARTMENT_OFFICER]).exists()


def test_a_task_past_its_deadline_and_not_done_reads_overdue(tasks):
    tasks["mine"].status = TaskStatus.IN_PROGRESS
    tasks["mine"].save()
    tasks["other"].status = TaskStatus.DONE
    tasks["other"].completed_on = datetime.date(2026, 11, 1)
    tasks["other"].save()
    before = tasks_with_status(Task.objects.all(), today=datetime.date(2026, 12, 31))
    after = tasks_with_status(Task.objects.all(), today=datetime.date(2027, 1, 1))
    assert {t.title: t.current_status for t in before} == {
        "经发办牵头": "in_progress",
        "徐泾村配合": "not_started",
        "规建办牵头": "done",
    }
    assert {t.title: t.current_status for t in after} == {
        "经发办牵头": "overdue",
        "徐泾村配合": "overdue",
        "规建办牵头": "done",
    }


def test_a_completed_task_needs_its_completion_date(town):
    with pytest.raises(IntegrityError):
        TaskFactory(status=TaskStatus.DONE, completed_on=None)


def test_a_task_measured_by_a_metric_reads_the_metric_for_the_unit(town):
    from decimal import Decimal

    from plan.tasklist.indicators import task_indicator_figure
    from reports.metrics import Scope
    from tests.factories.drills import DrillRecordFactory

    task = TaskFactory(indicator_metric="drill_coverage", indicator_target=Decimal("100"))
    DrillRecordFactory(enterprise=town["ent_a"], review_status="accepted")
    town_figure = task_indicator_figure(task, scope=Scope(), year=2026, month=6)
    dept_figure = task_indicator_figure(
        task, scope=Scope(department_id=town["dept_a"].pk), year=2026, month=6
    )
    assert (town_figure.numerator, town_figure.denominator) == (1, 2)
    assert town_figure.value == Decimal("50.0") and town_figure.met is False
    assert (dept_figure.numerator, dept_figure.denominator, dept_figure.met) == (1, 1, True)
    assert task_indicator_figure(TaskFactory(), scope=Scope(), year=2026, month=6) is None

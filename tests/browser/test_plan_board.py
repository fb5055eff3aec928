"""The town office opens the task board in a real browser, filters it to the overdue tasks and
drills down to one task's monthly history."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in
from tests.factories.plan import (
    BoardProgressFactory,
    BoardReportFactory,
    PlanItemFactory,
    TaskFactory,
    TaskUnitFactory,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_errors(desktop):
    errors = []
    desktop.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_town_office_filters_the_board_and_drills_down_to_a_task(
    live_server, desktop, page_errors, accounts, town
):
    today = timezone.localdate()
    item = PlanItemFactory(code="二(一)1", part="二", text="安全生产责任落实")
    late = TaskFactory(
        key="B1", title="培训全覆盖", plan_item=item, deadline=today - datetime.timedelta(days=10)
    )
    TaskUnitFactory(task=late, department=town["dept_a"])
    TaskUnitFactory(task=late, village=town["village_a"], role="cooperating")
    on_time = TaskFactory(
        key="B2",
        title="演练全覆盖",
        plan_item=item,
        status="in_progress",
        deadline=today + datetime.timedelta(days=100),
    )
    TaskUnitFactory(task=on_time, village=town["village_b"])
    report = BoardReportFactory(department=town["dept_a"], year=2026, month=5)
    BoardProgressFactory(task=late, report=report, progress="组织主要负责人培训", percent=40)

    log_in(desktop, live_server, "town", next_url="/admin/plan/board/")
    assert desktop.url.endswith("/admin/plan/board/")
    units = desktop.inner_text("#board-units")
    assert "经发办" in units and "金云村" in units
    # Overdue first: the late task leads the list.
    assert desktop.locator("#board-tasks tbody tr").first.get_attribute("data-status") == "overdue"

    desktop.select_option("select[name=status]", "in_progress")
    desktop.click("#board-filters button[type=submit]")
    desktop.wait_for_url("**status=in_progress**")
    assert desktop.locator("#board-tasks tbody tr").count() == 1
    assert "演练全覆盖" in desktop.inner_text("#board-tasks")
    assert "推进中" in desktop.inner_text("#board-tasks")

    desktop.select_option("select[name=status]", "overdue")
    desktop.click("#board-filters button[type=submit]")
    desktop.wait_for_url("**status=overdue**")
    assert "演练全覆盖" not in desktop.inner_text("#board-tasks")
    desktop.click("#board-tasks >> text=培训全覆盖")
    desktop.wait_for_url(f"**/admin/plan/board/tasks/{late.pk}/")
    assert desktop.inner_text("#task-status") == "逾期"
    history = desktop.inner_text("main")
    assert "2026年5月" in history and "组织主要负责人培训" in history and "40%" in history
    assert page_errors == []

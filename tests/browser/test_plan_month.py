"""A month of the task list walked in a real browser, as a department and as the town office:
the department reports its progress and submits; the town office reads it on the task board,
follows the overdue task up with a 督办 that the department acknowledges and answers and the
town closes; the town issues the month's 通报, whose PDF both sides open and read back."""

import datetime
import io
import time

import pytest
from django.utils import timezone
from pypdf import PdfReader

from plan.followup.models import Bulletin, FollowUpOrder, FollowUpStatus
from reports.models import MonthlyReport, ReportStatus
from tests.browser.conftest import log_in
from tests.factories.plan import PlanItemFactory, TaskFactory, TaskUnitFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def second_desktop(browser):
    """A second window (its own cookies), so the department and the town office stay logged in."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    yield context.new_page()
    context.close()


def _pdf_text(page, response) -> str:
    """The text of the PDF the browser opened. It is served inline and shown in Chromium's
    viewer, whose page replaces the body, so the same URL is read again with the window's
    session."""
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    again = page.context.request.get(response.url)
    assert again.headers["content-type"] == "application/pdf"
    data = again.body()
    assert data.startswith(b"%PDF")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_month_walked_by_a_department_and_the_town_office(
    live_server, desktop, second_desktop, accounts, town
):
    started = time.monotonic()
    errors = []
    dept, office = desktop, second_desktop
    for page in (dept, office):
        page.on("pageerror", lambda error: errors.append(str(error)))
    today = timezone.localdate()
    item = PlanItemFactory(code="二(一)1", part="二", text="安全生产责任落实")
    late = TaskFactory(
        key="M1",
        title="督促企业完善安全管理制度",
        plan_item=item,
        deadline=today - datetime.timedelta(days=5),
    )
    TaskUnitFactory(task=late, department=town["dept_a"])

    # 1. The department fills the task's line of its monthly report and submits it.
    log_in(dept, live_server, "dept", next_url="/admin/reports/monthly/")
    dept.click("form[action$='/start/'] button")
    dept.wait_for_load_state()
    prefix = f"task-{late.pk}"
    dept.fill("textarea[name=work_done]", "组织辖区企业开展安全培训")
    dept.fill(f"textarea[name={prefix}-progress]", "已督促8家企业修订安全管理制度")
    dept.fill(f"input[name={prefix}-percent]", "70")
    dept.click("button[name=action][value=submit]")
    dept.wait_for_load_state()
    report = MonthlyReport.objects.get(department=town["dept_a"])
    assert report.status == ReportStatus.SUBMITTED
    assert "已督促8家企业修订安全管理制度" in dept.inner_text("[data-task='M1']")

    # 2. The town office reads it on the board's task page and follows the task up.
    log_in(office, live_server, "town", next_url="/admin/plan/board/")
    office.click("#board-tasks >> text=督促企业完善安全管理制度")
    office.wait_for_url(f"**/admin/plan/board/tasks/{late.pk}/")
    assert office.inner_text("#task-status") == "逾期"
    history = office.inner_text("main")
    month_label = f"{today.year}年{today.month}月"
    assert month_label in history and "已督促8家企业修订安全管理制度" in history
    assert "70%" in history and "经发办" in history

    office.click("#task-follow-up")
    office.wait_for_url("**/admin/plan/followup/orders/issue/**")
    assert office.locator("select[name=task]").input_value() == str(late.pk)
    office.select_option("select[name=unit]", f"department:{town['dept_a'].pk}")
    office.fill("textarea[name=requirement]", "请于期限内完成制度修订并报送佐证材料")
    office.fill("input[name=deadline]", (today + datetime.timedelta(days=7)).isoformat())
    office.click("main form button[type=submit]")
    office.wait_for_url("**/admin/plan/followup/orders/*/")
    order = FollowUpOrder.objects.get()
    assert order.number in office.inner_text("main")
    assert "已下发" in office.inner_text("main")

    # 3. The department finds the order on its home, acknowledges and answers it.
    dept.goto(f"{live_server.url}/admin/")
    assert dept.inner_text("[data-count=follow_ups_to_answer]") == "1"
    dept.click("[data-todo=follow_ups_to_answer] a")
    dept.wait_for_url("**/admin/plan/followup/orders/?status=to_act")
    dept.click(f"text={order.number}")
    dept.wait_for_url(f"**/admin/plan/followup/orders/{order.pk}/")
    dept.click("button[name=action][value=acknowledge]")
    dept.wait_for_load_state()
    assert "已签收" in dept.inner_text("main")
    dept.fill("textarea[name=answer]", "制度已修订完成，8家企业均已印发")
    dept.click("button[name=action][value=answer]")
    dept.wait_for_load_state()
    assert "已回复" in dept.inner_text("main")
    assert "制度已修订完成" in dept.inner_text("main")

    # 4. The town office closes the order from its home, then issues the month's bulletin.
    office.goto(f"{live_server.url}/admin/")
    assert office.inner_text("[data-count=follow_ups_to_close]") == "1"
    office.click("[data-todo=follow_ups_to_close] a")
    office.click(f"text={order.number}")
    office.wait_for_url(f"**/admin/plan/followup/orders/{order.pk}/")
    office.click("button[name=action][value=close]")
    office.wait_for_load_state()
    assert "已办结" in office.inner_text("main")
    order.refresh_from_db()
    assert order.status == FollowUpStatus.CLOSED

    office.goto(f"{live_server.url}/admin/plan/followup/bulletins/")
    office.select_option("select[name=year]", str(today.year))
    office.select_option("select[name=month]", str(today.month))
    office.click("form[action$='/generate/'] button[type=submit]")
    office.wait_for_load_state()
    bulletin = Bulletin.objects.get()
    listing = office.inner_text("table.listing")
    assert bulletin.number in listing and "经发办" in listing
    pdf_url = f"**/admin/plan/followup/bulletins/{bulletin.pk}/"
    with office.expect_response(pdf_url) as served:
        office.click(f"table.listing >> text={bulletin.number}")
    text = _pdf_text(office, served.value)
    assert bulletin.number in text
    assert "经发办" in text and "督促企业完善安全管理制度" in text
    assert "已督促8家企业修订安全管理制度" in text

    # 5. The department gets the bulletin among its messages and opens the PDF.
    dept.goto(f"{live_server.url}/me/messages/")
    assert bulletin.number in dept.inner_text("main")
    with dept.expect_response(pdf_url) as served:
        dept.click(f"main a >> text={bulletin.number}")
    assert bulletin.number in _pdf_text(dept, served.value)

    assert errors == []
    print(f"month walked in {time.monotonic() - started:.1f} s")

"""A department walks its month in the back office: the task lines of its monthly report filled
in (progress, percent, a PDF of evidence), the report submitted, the lines shown as sent."""

import datetime
from decimal import Decimal

import pytest

from plan.models import TaskEvidence, TaskProgress
from reports.models import MonthlyReport, ReportStatus
from tests.browser.conftest import log_in
from tests.factories.plan import TaskFactory, TaskUnitFactory
from tests.upload_files import pdf_bytes

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_department_reports_on_its_tasks_and_submits(
    live_server, desktop, accounts, town, tmp_path
):
    task = TaskFactory(
        title="督促企业完善人员名册", key="T-LEAD", deadline=datetime.date(2099, 1, 1)
    )
    TaskUnitFactory(task=task, department=town["dept_a"])
    measured = TaskFactory(
        title="企业疏散演练全覆盖",
        key="T-DRILL",
        indicator_metric="drill_coverage",
        indicator_target=Decimal("100"),
    )
    TaskUnitFactory(task=measured, department=town["dept_a"], role="cooperating")
    scan = tmp_path / "名册.pdf"
    scan.write_bytes(pdf_bytes("roster"))

    log_in(desktop, live_server, "dept", next_url="/admin/reports/monthly/")
    desktop.click("form[action$='/start/'] button")
    desktop.wait_for_load_state()
    report = MonthlyReport.objects.get()
    prefix = f"task-{task.pk}"
    desktop.fill("textarea[name=work_done]", "组织企业开展培训")
    desktop.fill(f"textarea[name={prefix}-progress]", "已督促12家企业完善名册")
    desktop.fill(f"input[name={prefix}-percent]", "60")
    desktop.set_input_files(f"input[name={prefix}-evidence]", str(scan))
    assert desktop.locator(f"input[name=task-{measured.pk}-percent]").count() == 0
    assert "年度疏散演练覆盖率" in desktop.inner_text("[data-task='T-DRILL']")
    desktop.click("button[name=action][value=submit]")
    desktop.wait_for_load_state()

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert (report.tasks_total, report.tasks_done) == (2, 0)
    line = TaskProgress.objects.get(task=task)
    assert (line.progress, line.percent) == ("已督促12家企业完善名册", 60)
    assert TaskEvidence.objects.get().name == "名册.pdf"
    lead = desktop.inner_text("[data-task='T-LEAD']")
    assert "已督促12家企业完善名册" in lead and "名册.pdf" in lead

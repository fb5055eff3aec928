"""The town office in a real browser: coverage dashboard → the uncovered list → XLSX export."""

import datetime

import pytest
from openpyxl import load_workbook

from reports.models import Target
from reports.plan import plan_targets_create
from tests.browser.conftest import log_in
from tests.factories.drills import DrillRecordFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_town_office_drills_down_from_the_dashboard_and_exports(
    live_server, desktop, accounts, town, tmp_path
):
    plan_targets_create(Target)  # the live server's flush removed the migration's rows
    today = datetime.date.today()
    DrillRecordFactory(enterprise=town["ent_b"], date=today.replace(day=1))
    log_in(desktop, live_server, "town", next_url="/admin/reports/coverage/")

    card = desktop.locator("#metric-drill_coverage")
    assert "年度疏散演练覆盖率" in card.inner_text()
    assert "50.0%" in card.inner_text()
    assert card.locator("svg.trend-chart polyline").count() == 1
    # Every plan metric has its source: figures, never "no data".
    assert desktop.locator("text=暂无数据").count() == 0
    # A figure, not "no data" (the live server's flush may have removed the seeded
    # requirement table, so the numbers are checked in tests/reports/test_people_metrics.py).
    assert "暂无数据" not in desktop.locator("#metric-training_hours").inner_text()

    card.locator("a.coverage-figure").click()
    desktop.wait_for_load_state()
    body = desktop.inner_text("body")
    assert town["ent_a"].name in body and town["ent_b"].name not in body

    # The export is written by the worker (eager here); its page offers the download.
    desktop.click("text=导出 XLSX")
    desktop.wait_for_url("**/admin/exports/*/")
    desktop.wait_for_selector("[data-job-download] a", state="visible", timeout=10_000)
    with desktop.expect_download() as download_info:
        desktop.click("[data-job-download] a")
    path = tmp_path / "uncovered.xlsx"
    download_info.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1][0] == town["ent_a"].name and len(rows) == 2

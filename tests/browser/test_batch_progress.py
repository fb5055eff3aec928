"""Background jobs in a real browser: a certificate batch, a batch of files and the town's
compiled report each follow the job's progress on their page by themselves (the shared
directory/static/directory/job_progress.js) and offer the download once done, without a reload.

The worker is held back (the task is not queued) so the page opens on a waiting job; the test
then runs the job itself, as a worker would, while the page polls."""

import datetime

import pytest
from django.urls import reverse

from certificates.models import CertificateBatch
from certificates.services.issued import certificate_issue
from certificates.services.issued_batches import certificate_batch_process
from certificates.tasks import certificate_batch_run_task
from dossiers.batch.services import dossier_batch_process
from dossiers.models import DossierBatch
from dossiers.tasks import dossier_batch_run_task
from reports.models import TownMonthlyReport
from reports.services.compiled import town_report_generate
from reports.tasks import town_report_generate_task
from tests.browser.conftest import log_in
from tests.factories import PersonFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_errors(desktop):
    errors = []
    desktop.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_certificate_batch_shows_progress_and_the_download(
    live_server, desktop, page_errors, accounts, town, monkeypatch
):
    for index in range(3):
        holder = PersonFactory(name=f"打印{index}", employer=town["ent_a"])
        certificate_issue(
            holder=holder,
            title="培训",
            kind="officer",
            hours=8,
            issued_on=datetime.date(2026, 3, 20),
        )
    monkeypatch.setattr(certificate_batch_run_task, "delay_on_commit", lambda *args: None)
    log_in(desktop, live_server, "town", next_url="/admin/certificates/issued/print/")
    desktop.check("input[name=format][value=pdf]")
    desktop.click("main form button[type=submit]")
    desktop.wait_for_url("**/batches/*/")
    assert "0 / 3" in desktop.inner_text("#batch")
    assert desktop.locator("[data-job-download]").is_hidden()

    certificate_batch_process(batch_id=CertificateBatch.objects.get().pk)
    desktop.wait_for_selector("[data-job-download] a", state="visible", timeout=10_000)
    assert "3 / 3" in desktop.inner_text("#batch")
    assert "完成" in desktop.inner_text("[data-job-status]")
    assert page_errors == []


def test_file_batch_of_a_selection_shows_progress_and_the_download(
    live_server, desktop, page_errors, accounts, town, monkeypatch
):
    left_out = PersonFactory(name="不打印", employer=town["ent_a"])
    PersonFactory(name="赵六", employer=town["ent_a"])
    monkeypatch.setattr(dossier_batch_run_task, "delay_on_commit", lambda *args: None)
    log_in(desktop, live_server, "manager", next_url="/learning/enterprise/")
    desktop.click("text=批量打印档案")
    desktop.wait_for_url("**/dossiers/batches/new/**")
    assert desktop.is_checked("input[name=everyone]")
    # Clearing one person clears "everyone"; the rest stay ticked.
    desktop.uncheck(f"#person-{left_out.pk}")
    assert not desktop.is_checked("input[name=everyone]")
    desktop.check("input[name=format][value=zip]")
    desktop.click("text=打印 >> nth=-1")
    desktop.wait_for_url("**/dossiers/batches/*/")
    assert "0 / 2" in desktop.inner_text("#batch")
    assert desktop.locator("[data-job-download]").is_hidden()

    dossier_batch_process(batch_id=DossierBatch.objects.get().pk)
    desktop.wait_for_selector("[data-job-download] a", state="visible", timeout=10_000)
    assert "2 / 2" in desktop.inner_text("#batch")
    with desktop.expect_download() as download:
        desktop.click("[data-job-download] a")
    assert download.value.suggested_filename.endswith(".zip")
    assert page_errors == []


def test_compiled_report_shows_progress_and_the_download(
    live_server, desktop, page_errors, accounts, town, monkeypatch
):
    monkeypatch.setattr(town_report_generate_task, "delay_on_commit", lambda *args: None)
    log_in(desktop, live_server, "town", next_url=reverse("monthly_reports:index"))
    desktop.click("form[action*='compile'] button")
    desktop.wait_for_selector(".town-report")
    line = desktop.locator(".town-report").first
    assert line.locator("[data-job-download]").is_hidden()
    assert line.locator("[data-job-running]").is_visible()

    town_report_generate(report_id=TownMonthlyReport.objects.get().pk)
    line.locator("[data-job-download] a").first.wait_for(state="visible", timeout=10_000)
    assert line.locator("[data-job-running]").is_hidden()
    assert page_errors == []

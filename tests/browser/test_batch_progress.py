"""Batch printing in a real browser: the batch page follows the job's progress by itself and
offers the download once it is done, without a reload."""

import datetime

import pytest

from certificates.models import CertificateBatch, IssuedCertificate
from certificates.services import issued_batches
from certificates.services.issued import certificate_issue
from certificates.tasks import certificate_batch_run_task
from tests.browser.conftest import log_in
from tests.factories import PersonFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_certificate_batch_page_shows_progress_and_download(
    live_server, desktop, accounts, town, monkeypatch
):
    for index in range(3):
        holder = PersonFactory(name=f"打印{index}", employer=town["ent_a"])
        certificate_issue(
            holder=holder, title="培训", kind="officer", hours=8,
            issued_on=datetime.date(2026, 3, 20),
        )
    # The worker is "busy": the batch waits until the test runs it, with the page open.
    monkeypatch.setattr(certificate_batch_run_task, "delay_on_commit", lambda *args: None)
    errors = []
    desktop.on("pageerror", lambda error: errors.append(str(error)))
    log_in(desktop, live_server, "town", next_url="/admin/certificates/issued/print/")
    desktop.check("input[name=format][value=pdf]")
    desktop.click("form button[type=submit] >> nth=-1")
    desktop.wait_for_url("**/batches/*/")
    assert "0 / 3" in desktop.inner_text("main")
    assert desktop.locator("#batch-download").is_hidden()

    batch = CertificateBatch.objects.get()
    issued_batches.certificate_batch_process(batch_id=batch.pk)
    desktop.wait_for_selector("#batch-download a", state="visible", timeout=10_000)
    assert "3 / 3" in desktop.inner_text("main")
    assert errors == []
    assert IssuedCertificate.objects.count() == 3

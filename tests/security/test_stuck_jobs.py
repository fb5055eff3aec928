"""Jobs whose worker died: shown failed with a retry button, swept to failed, retried once,
by those who may see them only, writing everything once."""

import datetime
import functools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certificates.models import CertificateBatch, IssuedCertificate
from certificates.services.issued import certificate_issue
from certificates.services.issued_batches import certificate_batch_create
from directory.constants import AccountRole
from directory.jobs import stuck_jobs_sweep
from directory.models import ImportJob, Person
from reports.models import TownMonthlyReport
from reports.services import compiled
from tests.directory.importing_helpers import PEOPLE_HEADERS, write_xlsx
from tests.factories import PersonFactory, id_number_make

pytestmark = pytest.mark.django_db

TOWN = AccountRole.TOWN_OFFICE
MANAGER = AccountRole.ENTERPRISE_MANAGER
INTERRUPTED = "失败，处理进程已中断"


def tasks_queued(callbacks) -> list[str]:
    """The Celery tasks queued on commit (delay_on_commit), by name."""
    return [c.func.__self__.name for c in callbacks if isinstance(c, functools.partial)]


def minutes_ago(minutes: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes)


@pytest.fixture
def confirmed_import(client, accounts, town, tmp_path, django_capture_on_commit_callbacks):
    """A manager's 4-person file, checked and confirmed, whose worker then died mid-import:
    still "importing", its last progress 11 minutes ago (the limit is 10)."""
    code = town["ent_a"].credit_code
    rows = [[f"员工{i}", id_number_make(800 + i), "", code, "", "", "", ""] for i in range(4)]
    path = write_xlsx(tmp_path / "people.xlsx", PEOPLE_HEADERS, rows)
    client.force_login(accounts[MANAGER])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory_imports:index"),
            {"kind": "people", "file": SimpleUploadedFile(path.name, path.read_bytes())},
        )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.IMPORTING,
        report={**job.report, "confirmed": True},
        rows_done=0,
        heartbeat_at=minutes_ago(11),
    )
    return job


def test_stuck_import_shows_failed_with_a_retry_button(client, accounts, confirmed_import):
    client.force_login(accounts[MANAGER])
    page = client.get(reverse("directory_imports:job", args=[confirmed_import.pk]))
    text = page.content.decode()
    assert INTERRUPTED in text
    assert reverse("directory_imports:retry", args=[confirmed_import.pk]) in text
    assert "<progress" not in text  # no longer shown as running
    listing = client.get(reverse("directory_imports:index")).content.decode()
    assert INTERRUPTED in listing


def test_retry_writes_every_row_once_and_a_double_click_queues_once(
    client, accounts, confirmed_import, django_capture_on_commit_callbacks
):
    client.force_login(accounts[MANAGER])
    before = Person.objects.count()
    url = reverse("directory_imports:retry", args=[confirmed_import.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = client.post(url)
        second = client.post(url, follow=True)
    assert first.status_code == 302
    assert "只有失败或已中断的任务才能重试" in second.content.decode()
    [queued] = callbacks
    assert queued.func.__self__.name == "directory.tasks.import_job_run"
    queued()  # the worker (eager in tests) runs the import
    confirmed_import.refresh_from_db()
    assert confirmed_import.status == ImportJob.Status.DONE
    assert confirmed_import.heartbeat_at > minutes_ago(1) and not confirmed_import.interrupted
    assert Person.objects.count() == before + 4
    # A finished job cannot be retried: nothing is queued, nothing written again.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(url)
    assert not callbacks
    assert Person.objects.count() == before + 4


def test_retry_out_of_scope_is_404(client, accounts, confirmed_import):
    client.force_login(accounts[AccountRole.DEPARTMENT_OFFICER])
    response = client.post(reverse("directory_imports:retry", args=[confirmed_import.pk]))
    assert response.status_code == 404
    confirmed_import.refresh_from_db()
    assert confirmed_import.status == ImportJob.Status.IMPORTING


def test_a_running_job_is_refused_retry(client, accounts, confirmed_import):
    ImportJob.objects.filter(pk=confirmed_import.pk).update(heartbeat_at=timezone.now())
    client.force_login(accounts[MANAGER])
    page = client.post(
        reverse("directory_imports:retry", args=[confirmed_import.pk]), follow=True
    ).content.decode()
    assert "只有失败或已中断的任务才能重试" in page
    confirmed_import.refresh_from_db()
    assert confirmed_import.status == ImportJob.Status.IMPORTING


def test_sweep_marks_stuck_jobs_failed_and_leaves_live_ones(accounts, town, confirmed_import):
    live = ImportJob.objects.create(
        kind="people",
        original_name="live.xlsx",
        uploaded_by=accounts[TOWN],
        status=ImportJob.Status.IMPORTING,
        heartbeat_at=minutes_ago(2),
    )
    # Its database heartbeat is old, but the import reports progress to the cache as it goes.
    from django.core.cache import cache

    in_cache = ImportJob.objects.create(
        kind="people",
        original_name="cache.xlsx",
        uploaded_by=accounts[TOWN],
        status=ImportJob.Status.CHECKING,
        heartbeat_at=minutes_ago(30),
    )
    cache.set(in_cache.heartbeat_cache_key(), timezone.now().timestamp(), 60)
    user = accounts[TOWN]
    holder = PersonFactory(employer=town["ent_a"])
    certificate = certificate_issue(
        holder=holder, title="培训", kind="officer", hours=8, issued_on=datetime.date(2026, 3, 1)
    )
    stuck_batch = CertificateBatch.objects.create(
        created_by=user, format="pdf", total=1, status="running", heartbeat_at=minutes_ago(15)
    )
    live_batch = CertificateBatch.objects.create(
        created_by=user, format="pdf", total=1, status="running", heartbeat_at=minutes_ago(1)
    )
    stuck_report = TownMonthlyReport.objects.create(
        year=2026, month=10, status="running", heartbeat_at=minutes_ago(12)
    )
    assert certificate.pk

    assert stuck_jobs_sweep() == 3
    for job, status in (
        (confirmed_import, "failed"),
        (live, "importing"),
        (in_cache, "checking"),
        (stuck_batch, "failed"),
        (live_batch, "running"),
        (stuck_report, "failed"),
    ):
        job.refresh_from_db()
        assert job.status == status, job
    assert confirmed_import.interrupted and not live.interrupted
    # Swept or not, the job page says the same and offers the retry.
    assert confirmed_import.status_label() == INTERRUPTED
    assert stuck_jobs_sweep() == 0


def test_stuck_batch_print_shows_failed_retries_once_and_renders_whole(
    client, accounts, town, django_capture_on_commit_callbacks
):
    user = accounts[TOWN]
    for n in range(3):
        certificate_issue(
            holder=PersonFactory(name=f"持证{n}", employer=town["ent_a"]),
            title="培训",
            kind="officer",
            hours=8,
            issued_on=datetime.date(2026, 3, 1),
        )
    with django_capture_on_commit_callbacks(execute=False):
        batch = certificate_batch_create(
            user=user, certificates=IssuedCertificate.objects.all(), format="pdf"
        )
    # The message was lost with its worker: waiting, no progress for 20 minutes.
    CertificateBatch.objects.filter(pk=batch.pk).update(heartbeat_at=minutes_ago(20))
    client.force_login(user)
    page = client.get(reverse("issued_certificates:batch", args=[batch.pk])).content.decode()
    retry_url = reverse("issued_certificates:batch_retry", args=[batch.pk])
    assert INTERRUPTED in page and retry_url in page
    progress = client.get(reverse("issued_certificates:batch_progress", args=[batch.pk])).json()
    assert progress["status"] == "failed" and progress["retry"] is True

    client.force_login(accounts[AccountRole.DEPARTMENT_OFFICER])
    assert client.post(retry_url).status_code == 404

    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(retry_url)
        client.post(retry_url)
    assert tasks_queued(callbacks) == ["certificates.tasks.certificate_batch_run"]
    batch.refresh_from_db()
    assert batch.status == "done" and batch.done == 3
    assert len(PdfReader(batch.file.open("rb")).pages) == 3


def test_stuck_town_report_shows_failed_and_retry_compiles_it(
    client, accounts, town, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report = compiled.town_report_request(user=accounts[TOWN], year=2026, month=10)
    TownMonthlyReport.objects.filter(pk=report.pk).update(
        status="running", progress=40, heartbeat_at=minutes_ago(11)
    )
    client.force_login(accounts[TOWN])
    index = client.get(reverse("monthly_reports:index") + "?year=2026&month=10").content.decode()
    retry_url = reverse("monthly_reports:retry", args=[report.pk])
    assert INTERRUPTED in index and retry_url in index

    client.force_login(accounts[AccountRole.DEPARTMENT_OFFICER])
    assert client.post(retry_url).status_code == 404

    client.force_login(accounts[TOWN])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(retry_url)
        client.post(retry_url)
    assert tasks_queued(callbacks) == ["reports.tasks.town_report_generate"]
    report.refresh_from_db()
    assert report.status == "done" and report.progress == 100 and report.generated_at
    assert report.pdf.open("rb").read(5) == b"%PDF-"


def test_a_compilation_failing_at_the_end_keeps_the_earlier_files_and_no_new_ones(
    accounts, town, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = compiled.town_report_request(user=accounts[TOWN], year=2026, month=9)
    report.refresh_from_db()
    earlier = {report.pdf.name, report.xlsx.name}
    storage = report.pdf.storage
    folder = "reports/monthly/2026/09"
    assert all(name.startswith(f"{folder}/") for name in earlier)

    def database_gone(self, *args, **kwargs):
        raise RuntimeError("database went away")

    stored = set(storage.listdir(folder)[1])
    # Both new files are stored, then the row's write fails.
    monkeypatch.setattr(TownMonthlyReport, "save", database_gone)
    with pytest.raises(RuntimeError):
        compiled.town_report_generate(report_id=report.pk)
    monkeypatch.undo()
    report.refresh_from_db()
    assert report.status == "failed" and report.retryable
    assert {report.pdf.name, report.xlsx.name} == earlier
    assert set(storage.listdir(folder)[1]) == stored

"""List exports run by the worker: the request starts a job and shows its page, the worker
(eager here) writes the file row by row, the download goes through the scoped path and is
logged once; another account's export is not found; a failed export says why in Chinese; on
PostgreSQL the statement timeout cuts a query short."""

import io

import openpyxl
import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test import TestCase
from django.urls import reverse

from config.database import statement_timeout_options, statement_timeout_set
from directory.constants import AccountRole
from directory.export_jobs import Export, export_job_create, export_job_process, worker_export
from directory.exports import PROGRESS_ROWS, Sheet, xlsx_write
from directory.identifiers import phone_mask
from directory.models import ExportJob, ExportLogEntry, Person

pytestmark = pytest.mark.django_db
R = AccountRole
URL = reverse("coverage:uncovered", args=["training_hours"]) + "?format=xlsx"
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's"
)


@worker_export
def failing_export(asked) -> Export:
    def build(records, masking):
        raise ValueError("a builder fault")

    return Export(kind="Failing", records=Person.objects.all(), build=build, filename="f.xlsx")


@worker_export
def slow_export(asked) -> Export:
    def build(records, masking):
        rows = ([p.name] for p in records.annotate(nap=RawSQL("(SELECT pg_sleep(3))", [])))
        return Sheet("Slow", ["Name"], rows)

    return Export(kind="Slow", records=Person.objects.all(), build=build, filename="s.xlsx")


def _start(client, url=URL):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(url)
    assert response.status_code == 302
    return response, ExportJob.objects.latest("pk")


def _run(user, function):
    path = f"{function.__module__}.{function.__qualname__}"
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = export_job_create(
            user=user, export=path, query="", kind="x", filename="x.xlsx", fmt="xlsx"
        )
    job.refresh_from_db()
    return job


def test_an_export_request_starts_a_job_the_worker_writes_and_the_download_is_logged_once(
    client, accounts, town
):
    user = accounts[R.TOWN_OFFICE]
    client.force_login(user)
    response, job = _start(client)
    assert response.url == reverse("export_jobs:detail", args=[job.pk])
    assert (job.status, job.created_by, job.query) == ("done", user, "format=xlsx")
    assert job.done >= 2 and job.personal_data and job.file
    # Nothing is logged until the file leaves the platform.
    assert not ExportLogEntry.objects.exists()
    download = client.get(reverse("export_jobs:download", args=[job.pk]))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    assert download["Content-Disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(download.getvalue()))
    data = list(book.active.iter_rows(min_row=2, values_only=True))
    assert len(data) == job.done and town["person_a"].phone in {row[3] for row in data}
    entry = ExportLogEntry.objects.get()
    assert (entry.user, entry.rows, entry.personal_data) == (user, job.done, True)
    assert entry.kind == job.kind and entry.query == "format=xlsx"


def test_the_worker_masks_as_the_requester_sees(client, accounts, town):
    client.force_login(accounts[R.VILLAGE_OFFICER])
    _response, job = _start(client)
    assert (job.done, job.personal_data) == (1, False)
    download = client.get(reverse("export_jobs:download", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(download.getvalue()))
    cells = [c for row in book.active.values for c in row]
    assert phone_mask(town["person_a"].phone) in cells and town["person_a"].phone not in cells


def test_another_account_cannot_see_or_download_an_export(client, accounts, town):
    client.force_login(accounts[R.TOWN_OFFICE])
    _response, job = _start(client)
    for role in (R.DEPARTMENT_OFFICER, R.VILLAGE_OFFICER):
        client.force_login(accounts[role])
        for name in ("detail", "progress", "download"):
            assert client.get(reverse(f"export_jobs:{name}", args=[job.pk])).status_code == 404
        assert client.post(reverse("export_jobs:retry", args=[job.pk])).status_code == 404
    assert not ExportLogEntry.objects.exists()


def test_a_request_out_of_scope_starts_no_job(client, accounts, town):
    client.force_login(accounts[R.LEARNER])
    assert client.get(URL).status_code in (302, 403, 404)
    assert not ExportJob.objects.exists()


def test_the_progress_page_and_its_json(client, accounts, town):
    client.force_login(accounts[R.TOWN_OFFICE])
    _response, job = _start(client)
    page = client.get(reverse("export_jobs:detail", args=[job.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert reverse("export_jobs:progress", args=[job.pk]) in text and "已完成" in text
    assert reverse("export_jobs:download", args=[job.pk]) in text
    progress = client.get(reverse("export_jobs:progress", args=[job.pk])).json()
    assert (progress["status"], progress["done"], progress["percent"]) == ("done", job.done, 100)


def test_progress_is_told_every_thousand_rows_as_the_rows_stream():
    told = []
    rows = ([n, f"行{n}"] for n in range(2 * PROGRESS_ROWS + 5))
    out = io.BytesIO()
    assert xlsx_write([Sheet("s", ["n", "t"], rows)], out, told.append) == 2 * PROGRESS_ROWS + 5
    assert told == [PROGRESS_ROWS, 2 * PROGRESS_ROWS]
    assert openpyxl.load_workbook(out).active.max_row == 2 * PROGRESS_ROWS + 6


def test_a_failing_export_says_why_in_chinese_and_may_be_retried(client, accounts, town):
    user = accounts[R.TOWN_OFFICE]
    job = _run(user, failing_export)
    assert job.status == "failed" and "服务器" in job.error and not job.file
    client.force_login(user)
    page = client.get(reverse("export_jobs:detail", args=[job.pk])).content.decode()
    assert job.error in page and "重试" in page
    assert client.get(reverse("export_jobs:download", args=[job.pk])).status_code == 404
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("export_jobs:retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "failed"  # the builder fails again, and says so again
    assert not ExportLogEntry.objects.exists()


def test_a_done_export_is_not_written_again(accounts, town):
    client_user = accounts[R.TOWN_OFFICE]
    job = _run(client_user, failing_export)
    ExportJob.objects.filter(pk=job.pk).update(status="done")
    assert export_job_process(job_id=job.pk).status == "done"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_export_past_its_statement_timeout_fails_with_a_chinese_message(
    accounts, town, settings
):
    settings.EXPORT_STATEMENT_TIMEOUT = 1
    job = _run(accounts[R.TOWN_OFFICE], slow_export)
    assert job.status == "failed" and "超过" in job.error and "1" in job.error
    with connection.cursor() as cursor:  # the worker's connection is back to its own limit
        cursor.execute("SHOW cursor_tuple_fraction")
        assert cursor.fetchone()[0] == "0.1"


@postgresql_only
def test_the_web_statement_timeout_cancels_a_slow_query(settings):
    """A connection opened with the web processes' options cancels pg_sleep past its limit."""
    from django.db import connections

    default = connections["default"]
    options = statement_timeout_options(default.settings_dict.get("OPTIONS", {}), 1)
    probe = type(default)({**default.settings_dict, "OPTIONS": options}, "probe")
    try:
        with probe.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "1s"
            with pytest.raises(Exception, match="statement timeout"):
                cursor.execute("SELECT pg_sleep(3)")
    finally:
        probe.close()


@postgresql_only
def test_the_web_and_worker_limits_are_set_on_new_connections(settings):
    from django.db import connections

    database = connections.settings["default"]
    kept = dict(database.get("OPTIONS", {}))
    try:
        statement_timeout_set(settings.DATABASE_STATEMENT_TIMEOUT)
        assert database["OPTIONS"]["options"] == "-c jit=off -c statement_timeout=30000"
        statement_timeout_set(settings.WORKER_STATEMENT_TIMEOUT)
        assert database["OPTIONS"]["options"] == "-c jit=off -c statement_timeout=1800000"
    finally:
        database["OPTIONS"] = kept
        connection.settings_dict["OPTIONS"] = kept


def test_a_job_deleted_while_it_waited_is_nothing_to_do(accounts, town):
    """Retention or a removed account can delete a job its task still waits for: the worker
    logs it and ends, no retry and no error."""
    from directory.importing.jobs import import_job_process
    from directory.models import ImportJob

    gone = ExportJob.objects.create(
        created_by=accounts[R.TOWN_OFFICE], export="x", kind="x", filename="x.xlsx", format="xlsx"
    )
    gone_pk = gone.pk
    gone.delete()
    assert export_job_process(job_id=gone_pk) is None
    assert import_job_process(job_id=ImportJob.objects.count() + 10_000, write=True) is None
    assert not ExportJob.objects.exists()


@postgresql_only
def test_the_applications_connections_run_without_jit(db):
    """docs/production.md: JIT compiles the coverage queries for longer than they run."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"

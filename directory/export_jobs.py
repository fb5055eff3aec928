"""List exports written by a Celery worker: asked for in a request, written in the worker,
downloaded through the one export path.

A list's export is a function marked `@worker_export` that takes what the export was asked with
(`asked.user`, `asked.GET`: the request itself, or `Asked` in the worker; and the URL's
arguments as keywords) and returns an
`Export`: the kind for the log, the records (a queryset of a scoped model), the builder, the
file name and format. The request calls it once, so a missing permission or a record out of
scope answers at once, then stores an `ExportJob` naming the function by its dotted path with
the query string and queues the task. The worker calls the same function with the same user
and query string and writes the file through `directory.exports.export_file` (same scoping,
masking and quoting), row by row into a temporary file, reporting the rows written; the file is
kept in the private storage and downloaded through `stored_export_response`, which writes the
export log line with the rows and the whole-numbers flag fixed when the file was written.

On PostgreSQL the worker's export runs with `cursor_tuple_fraction = 1` (a server-side cursor
is otherwise planned for its first 10% of rows: a nested loop that never gave its first chunk
of 100,000 rows) and its own `statement_timeout` (EXPORT_STATEMENT_TIMEOUT), under the task's
soft time limit (EXPORT_TASK_SECONDS): a query cut short fails the job with a Chinese message
instead of running on after its worker is gone.
"""

import contextlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from directory.exports import export_file
from directory.jobs import job_retry_claim
from directory.models import ExportJob, User

logger = logging.getLogger(__name__)
Status = ExportJob.Status
# The functions marked @worker_export, by dotted path: the only ones a job may name.
WORKER_EXPORTS: dict[str, Callable[..., "Export"]] = {}


@dataclass
class Export:
    """What `export_response` would be given, for a list the worker writes."""

    kind: str
    records: QuerySet
    build: Callable
    filename: str
    fmt: str = "xlsx"
    scope: Callable | None = None


@dataclass
class Asked:
    """What a worker export was asked with: the account and the query string (as a request)."""

    user: User
    GET: QueryDict


def worker_export(function: Callable[..., Export]) -> Callable[..., Export]:
    """Mark a list's export function (asked, **arguments -> Export) as one a job may run."""
    WORKER_EXPORTS[f"{function.__module__}.{function.__qualname__}"] = function
    return function


def _export_function(path: str) -> Callable[..., Export]:
    if path not in WORKER_EXPORTS:
        import_string(path)  # the worker has not imported the view module yet
    if path not in WORKER_EXPORTS:
        raise ValidationError(_("This export is not known."))
    return WORKER_EXPORTS[path]


def export_job_response(request, function: Callable[..., Export], **arguments):
    """Start `function`'s export for this request (its checks run now), then show its page.
    `arguments`: what the list's URL names besides its query string (JSON values)."""
    export = function(request, **arguments)
    job = export_job_create(
        user=request.user,
        export=f"{function.__module__}.{function.__qualname__}",
        query=request.GET.urlencode(),
        arguments=arguments,
        kind=str(export.kind),
        filename=export.filename,
        fmt=export.fmt,
    )
    return redirect("export_jobs:detail", job.pk)


@transaction.atomic
def export_job_create(
    *,
    user: User,
    export: str,
    query: str,
    kind: str,
    filename: str,
    fmt: str,
    arguments: dict | None = None,
) -> ExportJob:
    """An export job for `user`, queued on commit."""
    _export_function(export)
    job = ExportJob.objects.create(
        created_by=user,
        export=export,
        query=query,
        arguments=arguments or {},
        kind=kind[:100],
        filename=filename[:200],
        format=fmt,
        heartbeat_at=timezone.now(),
    )
    from directory.tasks import export_job_run_task

    export_job_run_task.delay_on_commit(job.pk)
    return job


@transaction.atomic
def export_job_retry(*, job: ExportJob) -> ExportJob:
    """Queue a failed or interrupted export again (the caller found it among the user's)."""
    job = job_retry_claim(job, pending=Status.PENDING)
    ExportJob.objects.filter(pk=job.pk).update(error="", done=0)
    from directory.tasks import export_job_run_task

    export_job_run_task.delay_on_commit(job.pk)
    return job


# --- the worker's part -----------------------------------------------------------------------


@contextlib.contextmanager
def export_session() -> Iterator[None]:
    """The worker's connection planned for whole results and bounded by the export's timeout,
    for the length of one export (then back to the connection's own settings)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, false), "
            "set_config('cursor_tuple_fraction', '1', false)",
            [f"{settings.EXPORT_STATEMENT_TIMEOUT}s"],
        )
    try:
        yield
    finally:
        if connection.connection is not None and not connection.needs_rollback:
            with contextlib.suppress(Exception), connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout; RESET cursor_tuple_fraction")


def _timed_out(error: BaseException) -> bool:
    if isinstance(error, SoftTimeLimitExceeded):
        return True
    cause = error.__cause__
    return isinstance(error, OperationalError) and type(cause).__name__ == "QueryCanceled"


def failure_message(error: BaseException) -> str:
    """What the job's page says when the export failed (the user's words, in Chinese)."""
    if _timed_out(error):
        return _(
            "The export took longer than the %(seconds)s seconds allowed and was stopped. "
            "Narrow the filters (a village, an enterprise) and export again."
        ) % {"seconds": min(settings.EXPORT_STATEMENT_TIMEOUT, settings.EXPORT_TASK_SECONDS)}
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _(
        "The export failed because of an error on the server, which has been recorded. "
        "Try again later; if it fails again, tell the town office."
    )


def _beat(job_id: int, **fields) -> None:
    ExportJob.objects.filter(pk=job_id).update(heartbeat_at=timezone.now(), **fields)


def export_job_process(*, job_id: int) -> ExportJob | None:
    """Write an export's file (called by the task). A job already done is left alone, so a
    duplicated or redelivered task changes nothing; a job deleted while it waited (retention, its
    account removed) is nothing to do (None); a failure marks the job failed with a message for
    its page; a lost connection is raised again for the task to retry."""
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update()
            .select_related("created_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None:
            logger.info("export job %s is gone: nothing to write", job_id)
            return None
        if job.status == Status.DONE:
            return job
        job.status, job.error, job.done = Status.RUNNING, "", 0
        job.heartbeat_at, job.interrupted_at = timezone.now(), None
        job.save(update_fields=["status", "error", "done", "heartbeat_at", "interrupted_at"])
    handle, path = tempfile.mkstemp(suffix=f".{job.format}")
    try:
        with os.fdopen(handle, "wb") as out, export_session():
            asked = Asked(job.created_by, QueryDict(job.query))
            export = _export_function(job.export)(asked, **job.arguments)
            rows, whole = export_file(
                job.created_by,
                records=export.records,
                build=export.build,
                fmt=export.fmt,
                out=out,
                scope=export.scope,
                progress=lambda written: _beat(job_id, done=written),
            )
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().get(pk=job_id)
            if job.status == Status.DONE:  # a duplicate delivery finished first
                return job
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            with open(path, "rb") as source:
                job.file.save(f"export-{job.pk}-{stamp}.{job.format}", File(source), save=False)
            job.status, job.done, job.personal_data = Status.DONE, rows, whole
            job.finished_at = job.heartbeat_at = timezone.now()
            job.save(
                update_fields=[
                    *("file", "status", "done", "personal_data", "finished_at", "heartbeat_at")
                ]
            )
    except Exception as error:
        if not _timed_out(error):
            logger.exception("Export job %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).exclude(status=Status.DONE).update(
            status=Status.FAILED, error=failure_message(error)
        )
        if isinstance(error, OperationalError) and not _timed_out(error):
            raise  # the database went away: the task retries
        job.refresh_from_db()
    finally:
        os.unlink(path)
    return job

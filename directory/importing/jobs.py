"""Import jobs: an upload is checked first, written only when confirmed and clean.

Every upload passes the safety check first (directory.importing.safety). Small files are
handled inside the request; larger ones (IMPORT_ASYNC_THRESHOLD rows, blank rows counted) in a
Celery task, with progress kept in the shared cache so the web page can show it.
"""

import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.importing.formats import Table, TableError
from directory.importing.resources import RESOURCES
from directory.importing.services import ImportReport, import_file
from directory.jobs import job_retry_claim
from directory.models import ImportJob

logger = logging.getLogger(__name__)

Status = ImportJob.Status


def _progress_key(job_id: int) -> str:
    return f"import-job-progress:{job_id}"


def import_job_progress(job: ImportJob) -> int:
    """Rows processed so far by the running check or import."""
    return cache.get(_progress_key(job.pk), job.rows_done)


def _local_copy(job: ImportJob) -> str:
    """The upload as a local file (storage may be object storage)."""
    suffix = Path(job.original_name).suffix.lower()
    handle, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(handle, "wb") as out, job.file.open("rb") as src:
        shutil.copyfileobj(src, out)
    return path


@transaction.atomic
def import_job_create(*, user, kind: str, upload, options: dict | None = None) -> ImportJob:
    """Store an upload and check it (now, or in a task for large files). `options`: the kind's
    own (attendance: {"session": id}), JSON values kept with the job for the check and import."""
    if kind not in RESOURCES:
        raise ValidationError(_("Unknown import kind."))
    if not user.has_perm("directory.add_importjob"):
        raise PermissionDenied
    if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 50 MB; split it."))
    job = ImportJob.objects.create(
        heartbeat_at=timezone.now(),
        kind=kind,
        file=upload,
        original_name=upload.name,
        uploaded_by=user,
        options=options or {},
    )
    path = _local_copy(job)
    try:
        # The rows the file declares, blank ones included: the work the check will do, so a
        # file of blank rows goes to the worker too. Nothing is parsed in the request.
        job.rows_total = Table(path, filename=job.original_name).check()
    except TableError as error:
        job.status = Status.FAILED
        job.report = ImportReport(kind=kind, dry_run=True, file_errors=[str(error)]).as_dict()
    finally:
        os.unlink(path)
    job.save()
    import_job_discard_refused(job)
    if job.status == Status.PENDING:
        _dispatch(job, write=False)
    return job


@transaction.atomic
def import_job_confirm(*, job: ImportJob, user) -> ImportJob:
    """Write a checked, clean upload."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.uploaded_by_id != user.pk:
        raise PermissionDenied
    if job.status != Status.CHECKED or job.has_errors:
        raise ValidationError(_("Only a checked file without errors can be imported."))
    job.status = Status.PENDING
    job.report = {**job.report, "confirmed": True}
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "report", "heartbeat_at", "updated_at"])
    _dispatch(job, write=True)
    return job


@transaction.atomic
def import_job_retry(*, job: ImportJob) -> ImportJob:
    """Queue again a job whose worker stopped: its check, or its import once confirmed. The
    import runs in one transaction, so the interrupted run wrote nothing and this one writes
    every row once. The caller found `job` among those the user may see."""
    job = job_retry_claim(job, pending=Status.PENDING)
    from directory.tasks import import_job_run_task

    import_job_run_task.delay_on_commit(job.pk, bool(job.report.get("confirmed")))
    return job


def _dispatch(job: ImportJob, *, write: bool) -> None:
    if job.rows_total > settings.IMPORT_ASYNC_THRESHOLD:
        from directory.tasks import import_job_run_task

        import_job_run_task.delay_on_commit(job.pk, write)
    else:
        transaction.on_commit(lambda: import_job_process(job_id=job.pk, write=write))


def import_job_process(*, job_id: int, write: bool) -> ImportJob | None:
    """Run the check (write=False) or the import (write=True) of a job; safe to run twice. A
    job deleted while it waited (retention, its account removed) is nothing to do (None)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            logger.info("import job %s is gone: nothing to do", job_id)
            return None
        running = Status.IMPORTING if write else Status.CHECKING
        # A redelivered task finds its job still "running" when the worker died mid-way: the
        # import's transaction was rolled back then, so running it again is safe.
        if job.status not in (Status.PENDING, running):
            return job
        job.status = running
        job.rows_done = 0
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "rows_done", "heartbeat_at", "updated_at"])

    key = _progress_key(job.pk)
    beat_key = job.heartbeat_cache_key()

    def progress(done: int) -> None:
        cache.set_many({key: done, beat_key: time.time()}, 3600)

    path = _local_copy(job)
    try:
        report = import_file(
            kind=job.kind,
            path=path,
            filename=job.original_name,
            viewer=job.uploaded_by,
            dry_run=not write,
            progress=progress,
            options=job.options,
        )
    finally:
        os.unlink(path)
        cache.delete_many([key, beat_key])

    if write:
        job.status = Status.DONE if report.written else Status.FAILED
    else:
        job.status = Status.CHECKED
    job.report = report.as_dict()
    job.rows_done = job.rows_total
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "report", "rows_done", "heartbeat_at", "updated_at"])
    import_job_discard_refused(job)
    return job


def import_job_refused(job: ImportJob) -> bool:
    """The upload will never be written: unreadable, rows in error, or a write that failed."""
    return job.status == Status.FAILED or (job.status == Status.CHECKED and job.has_errors)


def import_job_discard_refused(job: ImportJob) -> None:
    """Delete a refused upload's stored file (its rows hold ID and phone numbers); the job's
    report keeps everything the uploader reads, and a corrected file is a new upload."""
    if not job.file or not import_job_refused(job):
        return
    storage, name = job.file.storage, job.file.name
    ImportJob.objects.filter(pk=job.pk).update(file="")
    job.file = ""
    # After the commit: a rolled-back job keeps its file (the row would still point at it).
    transaction.on_commit(lambda: storage.delete(name))

"""Stuck jobs: the beat sweep that marks them failed, and the claim every retry makes.

Works on every concrete model of directory.models.BackgroundJob (imports here, certificate
batch prints, compiled reports), found through the app registry, so directory imports none
of the apps that define them.
"""

import os
import tempfile
from collections.abc import Callable
from typing import IO

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import BackgroundJob
from directory.models.jobs import stuck_before


def job_models() -> list[type[BackgroundJob]]:
    return [model for model in apps.get_models() if issubclass(model, BackgroundJob)]


def job_mark_interrupted(job: BackgroundJob) -> None:
    """Record a stuck job as failed because its processing stopped (caller holds the row)."""
    job.status = job.FAILED_STATUS
    job.interrupted_at = timezone.now()
    job.save(update_fields=["status", "interrupted_at", *_auto_now(job)])


def stuck_jobs_sweep() -> int:
    """Mark every stuck job failed; the number marked. A job that made progress meanwhile (seen
    under its row lock) is left running."""
    marked = 0
    for model in job_models():
        fallback = model.HEARTBEAT_FALLBACK
        quiet = Q(heartbeat_at__lt=stuck_before()) | Q(
            heartbeat_at__isnull=True, **{f"{fallback}__lt": stuck_before()}
        )
        candidates = model.objects.filter(quiet, status__in=model.ACTIVE_STATUSES)
        for pk in candidates.values_list("pk", flat=True):
            with transaction.atomic():
                job = model.objects.select_for_update().get(pk=pk)
                if job.stuck:
                    job_mark_interrupted(job)
                    marked += 1
    return marked


def job_retry_claim(job: BackgroundJob, *, pending: str = "pending") -> BackgroundJob:
    """Take a failed or interrupted job back to `pending` under its row lock, inside the
    caller's transaction; a second click finds it pending and is refused, so it is queued once.
    The caller queues its task with delay_on_commit."""
    job = type(job).objects.select_for_update().get(pk=job.pk)
    if not job.retryable:
        raise ValidationError(_("Only a job that failed or was interrupted can be retried."))
    job.status = pending
    job.interrupted_at = None
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "interrupted_at", "heartbeat_at", *_auto_now(job)])
    return job


def job_progress(job: BackgroundJob) -> dict:
    """What a job's page polls (directory/static/directory/job_progress.js): the status (a job
    whose worker stopped reads as failed, so the page stops polling), its label, the count when
    the job counts items, the percentage, the error and whether it may be retried."""
    percent = job.percent if hasattr(job, "percent") else getattr(job, "progress", 0)
    return {
        "status": job.FAILED_STATUS if job.stuck else job.status,
        "status_label": str(job.status_label()),
        "retry": job.retryable,
        "done": getattr(job, "done", None),
        "total": getattr(job, "total", None),
        "percent": percent,
        "error": job.error,
    }


def _auto_now(job: BackgroundJob) -> list[str]:
    # "updated" moves with the status; other auto_now fields (a report's request time) do not.
    return ["updated_at"] if hasattr(job, "updated_at") else []


def parted_file_job_run(
    model: type[BackgroundJob],
    job_id: int,
    *,
    render: Callable[[BackgroundJob], int],
    join: Callable[[BackgroundJob, int, IO[bytes]], None],
    delete_parts: Callable[[BackgroundJob], None],
    file_prefix: str,
    related: tuple[str, ...] = (),
) -> BackgroundJob:
    """The frame of a job that makes one file from parts it stores as it goes (the certificate
    and the file batch prints): claim the job, `render` the parts not stored yet (returning how
    many there are), `join` them into a temporary file, store that as the job's `file` and
    delete the parts. A job already done is left alone, so a duplicated or redelivered task
    changes nothing; a failure marks the job failed with its reason and is raised again."""
    with transaction.atomic():
        job = model.objects.select_for_update().select_related(*related).get(pk=job_id)
        if job.status == "done":
            delete_parts(job)  # left behind if the worker died right after finishing
            return job
        job.status, job.error = "running", ""
        job.heartbeat_at, job.interrupted_at = timezone.now(), None
        job.save(update_fields=["status", "error", "heartbeat_at", "interrupted_at"])
    handle, path = tempfile.mkstemp(suffix=f".{job.format}")
    try:
        parts = render(job)
        with os.fdopen(handle, "wb") as out:
            join(job, parts, out)
        with transaction.atomic():
            job = model.objects.select_for_update().get(pk=job_id)
            if job.status == "done":  # a duplicate delivery finished first
                return job
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            with open(path, "rb") as source:
                job.file.save(
                    f"{file_prefix}-{job.pk}-{stamp}.{job.format}", File(source), save=False
                )
            job.status, job.done, job.finished_at = "done", job.total, timezone.now()
            job.heartbeat_at = job.finished_at
            job.save(update_fields=["file", "status", "done", "finished_at", "heartbeat_at"])
        delete_parts(job)
    except Exception as error:
        model.objects.filter(pk=job_id).exclude(status="done").update(
            status=model.FAILED_STATUS, error=str(error)[:1000]
        )
        raise
    finally:
        os.unlink(path)
    return job

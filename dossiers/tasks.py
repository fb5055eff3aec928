"""Celery tasks of the dossiers app: thin, they call dossiers.archive and dossiers.batch services."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone


@shared_task(
    name="dossiers.tasks.archive_run",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def archive_run_task(run_id: int) -> None:
    """Archive a year for a while, then queue itself again until the year is done: a town's
    files take longer than one task may run, and every pass resumes from what is stored."""
    from dossiers.archive.services import archive_run_process

    if not archive_run_process(run_id=run_id, seconds=settings.DOSSIER_ARCHIVE_TASK_SECONDS):
        archive_run_task.delay(run_id)


@shared_task(
    name="dossiers.tasks.yearly_archive",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def yearly_archive_task(day: str | None = None) -> dict:
    """1 January (beat): archived files past their retention period deleted, last year's files
    archived. `day` (ISO date) replays another day."""
    from dossiers.archive.services import archive_yearly

    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return archive_yearly(today=today)


@shared_task(
    name="dossiers.tasks.dossier_batch_run",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def dossier_batch_run_task(batch_id: int) -> None:
    """Render a batch of files; redelivered after a lost worker, it resumes from stored parts."""
    from dossiers.batch.services import dossier_batch_process

    dossier_batch_process(batch_id=batch_id)

"""Celery tasks of the dossiers app: thin, they call a service."""

from celery import shared_task
from django.db import OperationalError


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

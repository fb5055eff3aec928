"""Celery tasks of the registry: thin, they take ids and call a service."""

from celery import shared_task
from django.db import OperationalError


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def import_job_run(job_id: int, write: bool) -> None:
    from directory.importing.jobs import import_job_process

    import_job_process(job_id=job_id, write=write)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def notification_emails_send() -> int:
    from directory.services import notification_emails_deliver

    return notification_emails_deliver()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def stuck_jobs_sweep() -> int:
    """Beat, every 5 minutes: jobs with no progress for JOB_STUCK_MINUTES are marked failed."""
    from directory.jobs import stuck_jobs_sweep as sweep

    return sweep()

"""Celery tasks of the registry: thin, they take ids and call a service.

Each is named `<what it runs>_task`, apart from the service it calls; its `name=` is the one
the beat schedule and messages already queued know it by.
"""

from celery import shared_task
from django.conf import settings
from django.db import OperationalError


@shared_task(
    name="directory.tasks.import_job_run",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def import_job_run_task(job_id: int, write: bool) -> None:
    from directory.importing.jobs import import_job_process

    import_job_process(job_id=job_id, write=write)


@shared_task(
    name="directory.tasks.notification_emails_send",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def notification_emails_send_task() -> int:
    from directory.services import notification_emails_deliver

    return notification_emails_deliver()


@shared_task(
    name="directory.tasks.stuck_jobs_sweep",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def stuck_jobs_sweep_task() -> int:
    """Beat, every 5 minutes: jobs with no progress for JOB_STUCK_MINUTES are marked failed."""
    from directory.jobs import stuck_jobs_sweep

    return stuck_jobs_sweep()


@shared_task(
    name="directory.tasks.export_job_run",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=settings.EXPORT_TASK_SECONDS,
    time_limit=settings.EXPORT_TASK_SECONDS + 60,
)
def export_job_run_task(job_id: int) -> None:
    """Write a list export's file; past its soft time limit it fails with a message."""
    from directory.export_jobs import export_job_process

    export_job_process(job_id=job_id)

"""Celery tasks of the certificates app: thin, they call a service.

Each is named `<what it runs>_task`, apart from the service it calls; its `name=` is the one
the beat schedule and messages already queued know it by.
"""

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

# --- the registry of government-issued certificates ------------------------------------------


@shared_task(
    name="certificates.tasks.registry_daily_run",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def registry_daily_run_task(day: str | None = None) -> dict:
    """Daily (beat): statuses re-derived, reminders sent; a rerun sends nothing twice.

    A worker killed midway leaves the message unacknowledged (acks_late): the task runs again
    and the reminders already recorded are skipped. `day` (ISO date) replays another day.
    """
    from certificates.services.registry_reminders import registry_daily_run

    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    result = registry_daily_run(today=today)
    return {"certificates": result.certificates, "sent": result.sent, "refreshed": result.refreshed}


# --- the platform's own issued certificates --------------------------------------------------


@shared_task(
    name="certificates.tasks.certificate_batch_run",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def certificate_batch_run_task(batch_id: int) -> None:
    """Render a print batch; redelivered after a lost worker, it resumes from the stored parts."""
    from certificates.services.issued_batches import certificate_batch_process

    certificate_batch_process(batch_id=batch_id)

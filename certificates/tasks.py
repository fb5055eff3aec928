"""Celery tasks of the certificates app: thin, they call a service."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

# --- the registry of government-issued certificates ------------------------------------------


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def registry_daily_run() -> dict:
    """Daily (beat): statuses re-derived, reminders sent; a rerun sends nothing twice."""
    from certificates.services.registry_reminders import registry_daily_run as run

    result = run(today=timezone.localdate())
    return {"certificates": result.certificates, "sent": result.sent, "refreshed": result.refreshed}


# --- the platform's own issued certificates --------------------------------------------------


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def certificate_batch_run(batch_id: int) -> None:
    from certificates.services.issued_batches import certificate_batch_process

    certificate_batch_process(batch_id=batch_id)

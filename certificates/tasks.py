"""Celery tasks of the certificates app: thin, they take ids and call a service."""

from celery import shared_task
from django.db import OperationalError


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def certificate_batch_run(batch_id: int) -> None:
    from certificates.services.issued_batches import certificate_batch_process

    certificate_batch_process(batch_id=batch_id)

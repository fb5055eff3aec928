"""Celery tasks of the content app: thin, they call Wagtail's or our services."""

from celery import shared_task
from django.core.management import call_command
from django.db import OperationalError


# Beat queues it every minute: a run still waiting after a minute is superseded by the next one.
@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, expires=55)
def publish_scheduled() -> None:
    """Publish revisions whose go-live time has passed and unpublish pages past their expiry."""
    # Wagtail's own command: the same rules (and log entries, signals, cache purge) as cron would run.
    call_command("publish_scheduled")

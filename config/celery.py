"""The Celery application: configured from Django settings (CELERY_*), tasks found per app."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("xujing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _worker_statement_timeout(**kwargs):
    """The worker's queries get the workers' longer limit (prefork children inherit it)."""
    from config.database import worker_statement_timeout

    worker_statement_timeout()

"""Celery tasks of the training app: thin, they call a service.

Each is named `<what it runs>_task`, apart from the service it calls; its `name=` is the one
the beat schedule and messages already queued know it by.
"""

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone


@shared_task(
    name="training.tasks.drill_reminders_send",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def drill_reminders_send_task(day: str | None = None) -> int:
    """Beat runs it daily: drills due within 30 days or overdue, each stage reminded once.

    `day` (ISO date) replays another day; by default today in the town's time zone.
    """
    from training.drills.services.reminders import drill_reminders_send

    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return drill_reminders_send(today=today)


@shared_task(name="training.tasks.exam_attempts_sweep")
def exam_attempts_sweep_task() -> int:
    """Close and grade the exam attempts whose time ran out (training.exams.services.attempts)."""
    from training.exams.services.grading import attempts_expired_sweep

    return attempts_expired_sweep()


@shared_task(name="training.tasks.learning_beats_write_behind")
def learning_beats_write_behind_task() -> dict:
    """Beat runs it every minute: heartbeats credited in Redis written to the database
    (training.learning.services.beats)."""
    from training.learning.services.beats import write_behind

    return write_behind()

"""Celery tasks of the training app: thin, they call a service."""

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def drill_reminders_send(day: str | None = None) -> int:
    """Beat runs it daily: drills due within 30 days or overdue, each stage reminded once.

    `day` (ISO date) replays another day; by default today in the town's time zone.
    """
    from training.drills.services.reminders import drill_reminders_send as send

    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return send(today=today)


@shared_task
def exam_attempts_sweep() -> int:
    """Close and grade the exam attempts whose time ran out (training.exams.services.attempts)."""
    from training.exams.services.grading import attempts_expired_sweep

    return attempts_expired_sweep()

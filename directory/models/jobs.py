"""What every job a Celery worker runs with progress shares: a heartbeat, and "stuck".

An import, a certificate batch print and the town's compiled report each record when they last
made progress. One that is waiting or running but has made none for JOB_STUCK_MINUTES is taken
for dead (its worker was killed, its message lost): the screen that shows its status shows it
failed with a retry button, and a beat task (directory.jobs.stuck_jobs_sweep) marks it failed
so that lists agree.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def stuck_before() -> datetime.datetime:
    """Jobs whose last progress is older than this are stuck."""
    return timezone.now() - datetime.timedelta(minutes=settings.JOB_STUCK_MINUTES)


class BackgroundJob(models.Model):
    """Abstract: a job run by a worker, with its heartbeat and the moment it was found stuck."""

    # The subclass's status values: while waiting or running, the one it fails with.
    ACTIVE_STATUSES: tuple[str, ...] = ("pending", "running")
    FAILED_STATUS = "failed"
    # Where a job from before heartbeats existed counts its last progress from.
    HEARTBEAT_FALLBACK = "created_at"

    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    interrupted_at = models.DateTimeField(_("found interrupted at"), null=True, blank=True)

    class Meta:
        abstract = True

    def last_progress_at(self) -> datetime.datetime | None:
        return self.heartbeat_at or getattr(self, self.HEARTBEAT_FALLBACK, None)

    @property
    def stuck(self) -> bool:
        """Waiting or running, yet no progress for JOB_STUCK_MINUTES."""
        if self.status not in self.ACTIVE_STATUSES:
            return False
        last = self.last_progress_at()
        return last is None or last < stuck_before()

    @property
    def interrupted(self) -> bool:
        """Its worker stopped: stuck now, or already marked failed for that."""
        return self.stuck or (self.status == self.FAILED_STATUS and self.interrupted_at is not None)

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES and not self.stuck

    @property
    def retryable(self) -> bool:
        """What the retry button may re-queue: a failed or interrupted job."""
        return self.interrupted or self.status == self.FAILED_STATUS

    def status_label(self) -> str:
        if self.interrupted:
            return str(_("Failed: the processing was interrupted"))
        return self.get_status_display()

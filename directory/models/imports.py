"""An uploaded import file, its dry-run report and its progress."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.files import private_storage
from directory.uploads import stored_name_for

from .jobs import BackgroundJob

IMPORT_EXTENSIONS = frozenset({"xlsx", "csv"})


def import_file_path(instance, filename: str) -> str:
    """Private, under a random name: the uploaded name (kept in `original_name`) may hold
    personal data, and no part of it reaches the storage."""
    month = timezone.localdate().strftime("%Y/%m")
    return f"imports/{month}/{stored_name_for(filename, IMPORT_EXTENSIONS)}"


class ImportJob(BackgroundJob):
    """One upload of a registry file: validated first, written only when confirmed and clean."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be checked")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    ACTIVE_STATUSES = ("pending", "checking", "importing")
    HEARTBEAT_FALLBACK = "updated_at"

    kind = models.CharField(_("kind"), max_length=40)
    # Emptied when the upload is refused: the report keeps what the uploader must read.
    file = models.FileField(
        _("file"), upload_to=import_file_path, storage=private_storage, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("uploaded by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    # The kind's own options chosen on upload (attendance: {"session": id}).
    options = models.JSONField(_("options"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.kind} {self.original_name}"

    @property
    def progress_percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    def heartbeat_cache_key(self) -> str:
        # The check and the import run inside one transaction, which a row update would not
        # leave before the end: their heartbeat goes to the shared cache with the progress.
        return f"import-job-heartbeat:{self.pk}"

    def last_progress_at(self) -> datetime.datetime | None:
        last = super().last_progress_at()
        beat = cache.get(self.heartbeat_cache_key())
        if beat is not None:
            beat = datetime.datetime.fromtimestamp(beat, tz=datetime.UTC)
            last = max(last, beat) if last else beat
        return last

    @property
    def retryable(self) -> bool:
        # A file refused for its content fails again: only an interrupted run is retried.
        return self.interrupted

    @property
    def has_errors(self) -> bool:
        return bool(self.report.get("errors"))

"""A list export written by a worker into the private storage, downloaded when it is done."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.files import private_storage
from directory.models.jobs import BackgroundJob
from directory.uploads import stored_name_for


def export_file_path(instance, filename: str) -> str:
    return f"exports/{stored_name_for(filename, frozenset({'xlsx', 'csv'}))}"


class ExportJob(BackgroundJob):
    """One export asked for by one account: which list, its filters, and the file when done."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("created by"),
    )
    # The name the list's export is registered by (directory.export_jobs.WORKER_EXPORTS) and
    # the query string it was asked with: the worker builds the same file from them.
    export = models.CharField(_("export"), max_length=200)
    query = models.TextField(_("filters"), blank=True)
    # What the list's URL names besides its query string (a metric's code).
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    kind = models.CharField(_("what was exported"), max_length=100)
    filename = models.CharField(_("file name"), max_length=200)
    format = models.CharField(_("format"), max_length=4)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Rows written so far, then the rows the file holds (the export log's count).
    done = models.PositiveIntegerField(_("rows written"), default=0)
    # Whether the file holds any whole ID or phone number: the export log's flag at download.
    personal_data = models.BooleanField(_("whole personal numbers"), default=False)
    file = models.FileField(
        _("file"), upload_to=export_file_path, storage=private_storage, blank=True
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        # The rows a list holds are known only once written: full when done.
        return 100 if self.status == self.Status.DONE else 0

"""Batch printing of files (一人一档, and other kinds of file beside it): many files of one
enterprise rendered by a task into one PDF or a ZIP of PDFs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.files import private_storage
from directory.models import BackgroundJob
from directory.uploads import stored_name_for


class DossierItemKind(models.TextChoices):
    """What one item of a batch is the file of (dossiers.batch.renderers maps each to its PDF)."""

    PERSON = "person", _("Personal training file")
    ENTERPRISE = "enterprise", _("Enterprise training file")


def batch_file_path(instance, filename: str) -> str:
    return f"dossiers/batches/{stored_name_for(filename, frozenset({'pdf', 'zip'}))}"


class DossierBatch(BackgroundJob):
    """A batch print of an enterprise's files, with the requester's masking at the time asked."""

    class Format(models.TextChoices):
        PDF = "pdf", _("One PDF")
        ZIP = "zip", _("ZIP of PDFs")

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
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    format = models.CharField(_("format"), max_length=3, choices=Format.choices)
    # The year of the enterprise's own file (一企一档) when the batch holds it.
    year = models.PositiveSmallIntegerField(_("year of the enterprise file"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    # Whether any item shows whole ID or phone numbers: the export log's flag at download.
    personal_data = models.BooleanField(_("whole personal numbers"), default=False)
    file = models.FileField(
        _("file"), upload_to=batch_file_path, storage=private_storage, blank=True
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("file print batch")
        verbose_name_plural = _("file print batches")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")),
                name="dossiers_batch_done_within_total",
            )
        ]

    def __str__(self):
        return f"{self.enterprise_id} {self.get_format_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


class DossierBatchItem(models.Model):
    """One file of a batch, in print order: its kind, the record it is the file of, and whether
    the requester saw that record's ID and phone numbers whole when asking."""

    batch = models.ForeignKey(DossierBatch, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=DossierItemKind.choices)
    object_id = models.PositiveBigIntegerField()
    whole = models.BooleanField(default=False)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "position"], name="dossiers_batch_item_position"
            )
        ]

    def __str__(self):
        return f"{self.batch_id}#{self.position} {self.kind} {self.object_id}"

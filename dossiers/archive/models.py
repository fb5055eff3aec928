"""年度归档: each year's file of a person or an enterprise, rendered once and kept unchanged."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.files import private_storage
from directory.models import BackgroundJob, Enterprise, Person

# Records retention (regulations.md §7, V secondary): special-operation training files are kept
# at least 6 years, principals' and safety managers' at least 3. A person's or an enterprise's
# file may be (or hold) a special-operation training file, so every archived file keeps the
# longer period, counted from the end of the year it covers (as directory.retention does for
# the records it holds).
ARCHIVE_RETENTION_YEARS = 6


def archived_file_path(instance: "ArchivedFile", filename: str) -> str:
    return f"dossiers/archive/{instance.year}/{instance.kind}/{filename}"


class ArchivedFile(models.Model):
    """One year's file of a person or an enterprise as it stood on 31 December: a PDF in the
    private storage with its SHA-256, never rewritten."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Personal training file")
        ENTERPRISE = "enterprise", pgettext_lazy("dossier", "Enterprise file")

    class Variant(models.TextChoices):
        # Whole: for the person, their enterprise's manager and the town office; masked: for
        # the officers who follow the enterprise (directory.selectors.sees_personal_data).
        WHOLE = "whole", _("ID and phone numbers whole")
        MASKED = "masked", _("ID and phone numbers masked")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # PROTECT: a registry entry whose yearly files are kept cannot be deleted (it is marked left
    # or closed instead); the retention sweep deletes the files first, then the entry may go.
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archived_files",
        verbose_name=_("person"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archived_files",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    variant = models.CharField(_("variant"), max_length=6, choices=Variant.choices)
    file = models.FileField(
        _("file"), upload_to=archived_file_path, storage=private_storage, max_length=200
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-year", "kind", "pk"]
        verbose_name = _("archived yearly file")
        verbose_name_plural = _("archived yearly files")
        indexes = [models.Index(fields=["year", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="person", person__isnull=False, enterprise__isnull=True)
                    | Q(kind="enterprise", enterprise__isnull=False, person__isnull=True)
                ),
                name="dossiers_archived_file_subject_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["person", "year", "variant"],
                condition=Q(kind="person"),
                name="dossiers_archived_file_person_year_variant",
            ),
            models.UniqueConstraint(
                fields=["enterprise", "year", "variant"],
                condition=Q(kind="enterprise"),
                name="dossiers_archived_file_enterprise_year_variant",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} ({self.get_variant_display()})"

    @property
    def kept_until(self) -> datetime.date:
        """The last day of the retention period: 31 December of the year plus the period."""
        return datetime.date(self.year + ARCHIVE_RETENTION_YEARS, 12, 31)


class ArchiveRun(BackgroundJob):
    """One archiving of a year (the beat on 1 January, or the town office's button): progress
    of a worker rendering the year's files one by one."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    year = models.PositiveSmallIntegerField(_("year"))
    kinds = models.JSONField(_("kinds"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    written = models.PositiveIntegerField(_("files written"), default=0)
    failed = models.PositiveIntegerField(_("files that could not be made"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("yearly archiving")
        verbose_name_plural = _("yearly archivings")

    def __str__(self):
        return f"{self.year} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

"""Photos and videos attached to a drill record, kept in the private evidence storage."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.uploads import stored_name_for


def evidence_storage():
    return storages["private"]


SAFE_EXTENSIONS = {"jpg", "jpeg", "png", "webp", "mp4", "m4v", "mov", "webm"}


def safe_name(filename: str) -> str:
    """A random name keeping only a known extension: the original name may carry personal data
    or path parts ("../"), and is kept in a field instead."""
    return stored_name_for(filename, SAFE_EXTENSIONS)


def evidence_path(instance, filename: str) -> str:
    return f"{instance.record.enterprise_id}/{safe_name(filename)}"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")


class EvidenceFile(models.Model):
    """What every evidence upload keeps beside its file: the fields drill evidence and session
    photos share (the file field itself differs by its storage path)."""

    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    # From the photo's EXIF (DateTimeOriginal, else DateTime); none for videos.
    captured_at = models.DateTimeField(_("captured at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


class DrillEvidence(EvidenceFile):
    """A photo or video proving a drill took place, attached to its record."""

    record = models.ForeignKey(
        "training.DrillRecord",
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("drill record"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path, storage=evidence_storage)

    class Meta:
        ordering = ["record", "uploaded_at", "id"]
        verbose_name = _("drill evidence")
        verbose_name_plural = _("drill evidence")

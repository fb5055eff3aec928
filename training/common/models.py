"""What the domains share in the database: who an assignment, a session or an exam is for (the
audience fields), and what every evidence upload keeps beside its file."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.constants import PersonRole


class AudienceFields(models.Model):
    """An audience by role, industry and enterprise (training.learning.services.assignments.assignment_audience)."""

    audience_role = models.CharField(
        _("role"), max_length=20, choices=PersonRole.choices, blank=True
    )
    audience_industry = models.ForeignKey(
        "directory.Industry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("industry"),
    )
    audience_enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
    )

    class Meta:
        abstract = True


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

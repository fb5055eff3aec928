"""Photos of a session taking place, uploaded by its organiser; kept in the private evidence
storage (like drill evidence) and served only to those who may see the session."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from training.models.drill_evidence import evidence_storage, safe_name


def session_photo_path(instance, filename: str) -> str:
    return f"sessions/{instance.session_id}/{safe_name(filename)}"


class SessionPhoto(models.Model):
    session = models.ForeignKey(
        "training.TrainingSession",
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("session"),
    )
    file = models.FileField(_("file"), upload_to=session_photo_path, storage=evidence_storage)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveBigIntegerField(_("size in bytes"))
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
        ordering = ["session", "uploaded_at", "id"]
        verbose_name = _("session photo")
        verbose_name_plural = _("session photos")

    def __str__(self):
        return self.original_name

"""Photos of a session taking place, uploaded by its organiser; kept in the private evidence
storage (like drill evidence) and served only to those who may see the session."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from training.common.files import evidence_storage, safe_name
from training.common.models import EvidenceFile


def session_photo_path(instance, filename: str) -> str:
    return f"sessions/{instance.session_id}/{safe_name(filename)}"


class SessionPhoto(EvidenceFile):
    """A photo of a session taking place."""

    session = models.ForeignKey(
        "training.TrainingSession",
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("session"),
    )
    file = models.FileField(_("file"), upload_to=session_photo_path, storage=evidence_storage)

    class Meta:
        ordering = ["session", "uploaded_at", "id"]
        verbose_name = _("session photo")
        verbose_name_plural = _("session photos")

"""Photos and videos attached to a drill record, kept in the private evidence storage."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from training.common.files import evidence_storage, safe_name
from training.common.models import EvidenceFile, EvidenceKind


def evidence_path(instance, filename: str) -> str:
    return f"{instance.record.enterprise_id}/{safe_name(filename)}"


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

"""What the phone entry adds to a drill record: headcounts by building or group, and the
signature of the responsible person."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from training.common.files import evidence_storage
from training.drills.models.evidence import evidence_path


class DrillGroupRow(models.Model):
    record = models.ForeignKey(
        "training.DrillRecord",
        on_delete=models.CASCADE,
        related_name="group_rows",
        verbose_name=_("drill record"),
    )
    name = models.CharField(_("building or group"), max_length=100)
    headcount = models.PositiveIntegerField(
        _("headcount on site"), validators=[MinValueValidator(1)]
    )
    evacuated = models.PositiveIntegerField(_("number evacuated"))

    class Meta:
        ordering = ["record", "id"]
        verbose_name = _("building or group")
        verbose_name_plural = _("buildings or groups")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(evacuated__lte=models.F("headcount")),
                name="training_group_evacuated_within_headcount",
                violation_error_message=_(
                    "The number evacuated cannot exceed the headcount on site."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def participation_rate(self) -> float | None:
        return self.evacuated / self.headcount if self.headcount else None


def signature_path(instance, filename: str) -> str:
    return "signatures/" + evidence_path(instance, filename)


class DrillSignature(models.Model):
    """The responsible person's handwritten signature (a PNG drawn on the phone) and name."""

    record = models.OneToOneField(
        "training.DrillRecord",
        on_delete=models.CASCADE,
        related_name="signature",
        verbose_name=_("drill record"),
    )
    signer_name = models.CharField(_("responsible person"), max_length=100)
    image = models.FileField(_("signature"), upload_to=signature_path, storage=evidence_storage)
    signed_at = models.DateTimeField(_("signed at"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self):
        return self.signer_name

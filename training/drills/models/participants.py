"""Who took part in a drill: an optional list of the enterprise's people beside the headcount."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipantSource(models.TextChoices):
    """How a person came onto a drill's list."""

    ENTERED = "entered", _("Entered by hand")
    SIGN_IN_SHEET = "sign_in_sheet", _("Imported from the sign-in sheet")


class DrillParticipant(models.Model):
    """A person of the record's enterprise named on its list (the services check the enterprise).

    The list is optional per record; the record's headcount stays the figure of people on site.
    """

    record = models.ForeignKey(
        "training.DrillRecord",
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("drill record"),
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="drill_participations",
        verbose_name=_("person"),
    )
    remark = models.CharField(_("role or remark"), max_length=200, blank=True)
    signed_in_at = models.TimeField(_("sign-in time"), null=True, blank=True)
    source = models.CharField(
        _("recorded through"),
        max_length=20,
        choices=ParticipantSource.choices,
        default=ParticipantSource.ENTERED,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["record", "person__name", "id"]
        verbose_name = _("drill participant")
        verbose_name_plural = _("drill participants")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "person"],
                name="training_drill_participant_once",
                violation_error_message=_("This person is already on the drill's list."),
            )
        ]

    def __str__(self):
        return f"{self.record_id} {self.person_id}"

"""Corrective actions for the problems a drill brought to light, followed to closure."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from training.common.files import evidence_storage
from training.drills.models.evidence import evidence_path


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting correction")
    DONE = "done", _("Done, awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")


def closing_evidence_path(instance, filename: str) -> str:
    return "actions/" + evidence_path(instance, filename)


class CorrectiveAction(models.Model):
    record = models.ForeignKey(
        "training.DrillRecord",
        on_delete=models.CASCADE,
        related_name="corrective_actions",
        verbose_name=_("drill record"),
    )
    problem = models.TextField(_("problem"))
    measure = models.TextField(_("corrective measure"), blank=True)
    owner = models.CharField(_("owner"), max_length=100)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closing_note = models.TextField(_("closing note"), blank=True)
    closing_evidence = models.FileField(
        _("closing evidence"), upload_to=closing_evidence_path, storage=evidence_storage, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    acceptance_note = models.TextField(_("acceptance note"), blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=ActionStatus.OPEN) | ~models.Q(closing_note=""),
                name="training_action_closed_with_note",
                violation_error_message=_("A closed action needs a closing note."),
            ),
        ]

    def __str__(self):
        return self.problem[:40]

    def clean(self):
        if self.due_date and self.record_id and self.due_date < self.record.date:
            raise ValidationError({"due_date": _("The due date cannot be before the drill.")})

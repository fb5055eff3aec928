"""Corrective actions for the problems a drill brought to light, followed to closure."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from training.common.actions import ActionStatus as ActionStatus  # the drills' import path
from training.common.actions import CorrectiveActionFields, action_closed_with_note
from training.common.files import evidence_storage
from training.drills.models.evidence import evidence_path


def closing_evidence_path(instance, filename: str) -> str:
    return "actions/" + evidence_path(instance, filename)


class CorrectiveAction(CorrectiveActionFields):
    record = models.ForeignKey(
        "training.DrillRecord",
        on_delete=models.CASCADE,
        related_name="corrective_actions",
        verbose_name=_("drill record"),
    )
    closing_evidence = models.FileField(
        _("closing evidence"), upload_to=closing_evidence_path, storage=evidence_storage, blank=True
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [action_closed_with_note("training_action_closed_with_note")]

    def clean(self):
        if self.due_date and self.record_id and self.due_date < self.record.date:
            raise ValidationError({"due_date": _("The due date cannot be before the drill.")})

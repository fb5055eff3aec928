"""Corrective actions followed to closure, shared by every domain that finds problems (a drill's
findings, a self-inspection's hazards): the fields, the statuses and the two state changes
(the enterprise reports an action done; an officer accepts it or reopens it).

Each domain keeps its own concrete model (its parent record and its file path) and checks who may
act before calling `action_close` / `action_accept`, which only move the state.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from training.common.evidence import evidence_prepare


class ActionStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("Awaiting correction")
    DONE = "done", gettext_lazy("Done, awaiting acceptance")
    ACCEPTED = "accepted", gettext_lazy("Accepted")


class CorrectiveActionFields(models.Model):
    """The fields of an action; the concrete model adds its parent and `closing_evidence`."""

    problem = models.TextField(gettext_lazy("problem"))
    measure = models.TextField(gettext_lazy("corrective measure"), blank=True)
    owner = models.CharField(gettext_lazy("owner"), max_length=100)
    due_date = models.DateField(gettext_lazy("due date"))
    status = models.CharField(
        gettext_lazy("status"),
        max_length=10,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
    )
    closing_note = models.TextField(gettext_lazy("closing note"), blank=True)
    closed_at = models.DateTimeField(gettext_lazy("closed at"), null=True, blank=True)
    acceptance_note = models.TextField(gettext_lazy("acceptance note"), blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("accepted by"),
    )
    accepted_at = models.DateTimeField(gettext_lazy("accepted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("created by"),
    )
    created_at = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.problem[:40]

    def is_overdue_on(self, today) -> bool:
        return self.status == ActionStatus.OPEN and self.due_date < today


def action_closed_with_note(name: str) -> models.CheckConstraint:
    """The database rule of every corrective action: a closed one carries its closing note."""
    return models.CheckConstraint(
        condition=models.Q(status=ActionStatus.OPEN) | ~models.Q(closing_note=""),
        name=name,
        violation_error_message=gettext_lazy("A closed action needs a closing note."),
    )


def action_require_open(action: CorrectiveActionFields) -> None:
    if action.status != ActionStatus.OPEN:
        raise ValidationError({"status": _("Only an open action can be changed or closed.")})


def action_close(*, action: CorrectiveActionFields, note: str, evidence=None):
    """Report an open action done, with a note and optionally a photo / video; the caller has
    checked that the user may change the action's enterprise and runs in a transaction."""
    action_require_open(action)
    if not note.strip():
        raise ValidationError({"closing_note": _("Say what was done.")})
    if evidence:
        prepared = evidence_prepare(evidence)
        action.closing_evidence.save(prepared.content.name, prepared.content, save=False)
    action.status = ActionStatus.DONE
    action.closing_note = note
    action.closed_at = timezone.now()
    action.full_clean()
    action.save()
    return action


def action_accept(*, user, action: CorrectiveActionFields, accept: bool, note: str = ""):
    """Accept a done action, or reopen it saying what is still missing; the caller has checked
    that the user follows the action's enterprise."""
    if action.status != ActionStatus.DONE:
        raise ValidationError({"status": _("Only a done action can be accepted or reopened.")})
    if not accept and not note.strip():
        raise ValidationError({"acceptance_note": _("Say what is still missing.")})
    action.status = ActionStatus.ACCEPTED if accept else ActionStatus.OPEN
    action.acceptance_note = note
    action.accepted_by, action.accepted_at = user, timezone.now()
    if not accept:
        action.closed_at = None
    action.save()
    return action

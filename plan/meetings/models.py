"""The town's dispatch meetings (调度会): who met, where, and what was decided; a decision may
become a task of the task list, which links back to it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.messages import date_text
from plan.tasklist.models import Task


class DispatchMeeting(models.Model):
    """A dispatch meeting held by the town: date, place, chair and attendees."""

    held_on = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=100)
    chair = models.CharField(_("chair"), max_length=50)
    attending_departments = models.ManyToManyField(
        "directory.Department",
        blank=True,
        related_name="dispatch_meetings",
        verbose_name=_("departments attending"),
    )
    attending_villages = models.ManyToManyField(
        "directory.Village",
        blank=True,
        related_name="dispatch_meetings",
        verbose_name=_("villages attending"),
    )
    attendee_names = models.TextField(_("other attendees"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("dispatch meeting")
        verbose_name_plural = _("dispatch meetings")

    def __str__(self):
        return _("Dispatch meeting of %(date)s") % {"date": date_text(self.held_on)}


class MeetingDecision(models.Model):
    """One decision of a dispatch meeting; the task it became, if the town office made one."""

    meeting = models.ForeignKey(DispatchMeeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))
    task = models.OneToOneField(
        Task,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_decision",
        verbose_name=_("task"),
    )

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="plan_decision_once"),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.number}"

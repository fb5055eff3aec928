"""The town office's follow-up of the task list (五(一)、五(五)): follow-up orders (督办) to a unit
about a task, talks (约谈) on record, and the numbered monthly bulletins (通报)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.files import private_storage
from plan.units import one_unit_constraints


class DocumentNumber(models.Model):
    """The last number given to one kind of document in one year (〔2026〕3号)."""

    kind = models.CharField(_("kind of document"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document number")
        verbose_name_plural = _("document numbers")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="plan_docnumber_once"),
        ]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last}"


class UnitMixin(models.Model):
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    village = models.ForeignKey(
        "directory.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("village"),
    )

    class Meta:
        abstract = True

    @property
    def unit(self):
        return self.department or self.village


class FollowUpStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ANSWERED = "answered", _("Answered")
    RETURNED = "returned", _("Sent back")
    CLOSED = "closed", _("Closed out")


# The states in which the unit has to act (acknowledge, or answer).
UNIT_TO_ACT = (FollowUpStatus.ISSUED, FollowUpStatus.ACKNOWLEDGED, FollowUpStatus.RETURNED)


def _answer_path(instance, filename):
    return f"plan/followup/{instance.issued_at:%Y}/{filename}"


class FollowUpOrder(UnitMixin):
    """A follow-up order (督办) from the town office to a unit about a task, answered by the unit."""

    number = models.CharField(_("document number"), max_length=40, unique=True)
    task = models.ForeignKey(
        "plan.Task", on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("task")
    )
    requirement = models.TextField(_("what is required"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.ISSUED
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answer_file = models.FileField(
        _("evidence file"), upload_to=_answer_path, storage=private_storage, blank=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    return_comment = models.TextField(_("reason for sending back"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed out at"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("follow-up order")
        verbose_name_plural = _("follow-up orders")
        constraints = one_unit_constraints("plan_followup")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return self.number


class Talk(UnitMixin):
    """A talk (约谈) held by the town office: with whom, when, about what, and its outcome."""

    held_on = models.DateField(_("date of the talk"))
    interviewees = models.CharField(_("people talked to"), max_length=200)
    interviewers = models.CharField(_("held by"), max_length=200)
    task = models.ForeignKey(
        "plan.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name=_("task"),
    )
    subject = models.TextField(_("subject of the talk"))
    outcome = models.TextField(_("outcome"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        constraints = one_unit_constraints("plan_talk")

    def __str__(self):
        return f"{self.held_on} {self.unit}"


def _bulletin_path(instance, filename):
    return f"plan/bulletins/{instance.year}/{filename}"


class Bulletin(models.Model):
    """The town office's numbered monthly bulletin (通报) on the task list, kept as a PDF."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    # The number within the bulletins of the year it was issued in (徐泾安委办通报〔2026〕3号).
    issue_year = models.PositiveSmallIntegerField(_("year of issue"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("document number"), max_length=40, unique=True)
    file = models.FileField(_("file"), upload_to=_bulletin_path, storage=private_storage)
    praised = models.JSONField(_("units praised"), default=list)
    lagging = models.JSONField(_("units lagging"), default=list)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="plan_bulletin_month_once"),
            models.UniqueConstraint(
                fields=["issue_year", "sequence"], name="plan_bulletin_number_once"
            ),
        ]

    def __str__(self):
        return self.number

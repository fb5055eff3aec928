"""The monthly report each department and village sends the town safety office before the 26th
(徐泾镇三年行动方案 五(六)), and the town's compiled report of a month."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from directory.files import private_storage
from directory.models import BackgroundJob
from directory.uploads import stored_name_for

# Reports are due before this day of the month (plan 五(六): 每月26日前报送).
DUE_DAY = 26
# Reminders go to units that have not submitted on these days of the month.
REMINDER_DAYS = (20, 25)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")


# A report in these states counts as sent.
SENT_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
# A report in these states can still be edited by its unit.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class MonthlyReport(models.Model):
    """A department's or a village's report of a month: figures, narrative, task-list completion."""

    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monthly_reports",
        verbose_name=_("department"),
    )
    village = models.ForeignKey(
        "directory.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monthly_reports",
        verbose_name=_("village"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The metrics of the unit as computed at submission (reports.services.monthly).
    figures = models.JSONField(_("figures"), default=list, blank=True)
    work_done = models.TextField(_("work done this month"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    next_month_plan = models.TextField(_("next month's plan"), blank=True)
    # The unit's tasks at submission and those completed, written by the submission from the
    # task list (reports.sections), never typed.
    tasks_total = models.PositiveSmallIntegerField(_("tasks in the task list"), default=0)
    tasks_done = models.PositiveSmallIntegerField(_("tasks completed"), default=0)
    review_comment = models.TextField(_("review comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "-month", "department__sort_order", "village__name", "id"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=True) ^ Q(village__isnull=True),
                name="reports_monthly_one_unit",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="reports_monthly_month"
            ),
            models.CheckConstraint(
                condition=Q(tasks_done__lte=F("tasks_total")), name="reports_monthly_tasks"
            ),
            models.UniqueConstraint(
                fields=["department", "year", "month"],
                condition=Q(department__isnull=False),
                name="reports_monthly_department_once",
            ),
            models.UniqueConstraint(
                fields=["village", "year", "month"],
                condition=Q(village__isnull=False),
                name="reports_monthly_village_once",
            ),
        ]
        indexes = [models.Index(fields=["year", "month", "status"])]

    def __str__(self):
        return f"{self.unit_name} {self.year}年{self.month}月"

    @property
    def unit_name(self) -> str:
        return str(self.department or self.village)

    @property
    def sent(self) -> bool:
        return self.status in SENT_STATUSES


def _compiled_path(instance, filename):
    name = stored_name_for(filename, frozenset({"pdf", "xlsx"}))
    return f"reports/monthly/{instance.year}/{instance.month:02d}/{name}"


class TownMonthlyReport(BackgroundJob):
    """The town's compiled report of a month, as PDF and XLSX; regenerating replaces the files."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being compiled")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    HEARTBEAT_FALLBACK = "requested_at"

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    pdf = models.FileField(_("PDF"), upload_to=_compiled_path, storage=private_storage, blank=True)
    xlsx = models.FileField(
        _("XLSX"), upload_to=_compiled_path, storage=private_storage, blank=True
    )
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("town monthly report")
        verbose_name_plural = _("town monthly reports")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="reports_town_monthly_once")
        ]

    def __str__(self):
        return f"{self.year}年{self.month}月"

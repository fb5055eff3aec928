"""The plan's items and the tasks broken out of them (项目化、清单化: each task with its units,
yearly goals and deadline), and each unit's monthly progress on its tasks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.files import private_storage
from directory.uploads import stored_name_for
from plan.units import one_unit_constraints

# Evidence a unit may attach: scans and photos, office documents, spreadsheets.
EVIDENCE_EXTENSIONS = frozenset({"pdf", "jpg", "jpeg", "png", "webp", "docx", "xlsx"})


class PlanItem(models.Model):
    """One numbered item of the town plan (e.g. 二(三)9), the source of one or more tasks."""

    code = models.CharField(_("plan item"), max_length=20, unique=True)
    part = models.CharField(_("part of the plan"), max_length=4)
    section = models.CharField(_("section"), max_length=100, blank=True)
    number = models.PositiveSmallIntegerField(_("item number"), null=True, blank=True)
    text = models.TextField(_("text of the item"))
    # The seed file summarises the issued plan; the town office confirms each item's wording
    # against the document it issued, and until then the screens say it is a summary.
    confirmed = models.BooleanField(_("wording confirmed"), default=False)
    sort_key = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_key", "code"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self):
        return f"{self.code} {self.text[:30]}"


class TaskStatus(models.TextChoices):
    # A context of their own: the plan's words (未开始 / 推进中 / 已完成 / 逾期), not an exam's
    # 进行中 or a certificate's 已逾期.
    NOT_STARTED = "not_started", pgettext_lazy("task status", "Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("task status", "In progress")
    DONE = "done", pgettext_lazy("task status", "Completed")
    # Never stored: a task not completed by its deadline reads as overdue
    # (plan.tasklist.selectors.tasks_with_status).
    OVERDUE = "overdue", pgettext_lazy("task status", "Overdue")


STORED_STATUSES = [
    (value, label) for value, label in TaskStatus.choices if value != TaskStatus.OVERDUE
]


class TaskSource(models.TextChoices):
    PLAN = "plan", _("Town plan")
    MEETING = "meeting", _("Dispatch meeting")
    TOWN_OFFICE = "town_office", _("Town safety office")


class Task(models.Model):
    """One task of the town's task list: what is to be done, by whom and by when."""

    plan_item = models.ForeignKey(
        PlanItem, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("plan item")
    )
    title = models.CharField(_("task"), max_length=200)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # A platform metric (reports.metrics.catalogue code) measures the task where one fits; its
    # figure is read from the metric, never typed. Otherwise a free-text deliverable.
    indicator_metric = models.CharField(_("indicator"), max_length=40, blank=True)
    indicator_target = models.DecimalField(
        _("indicator target"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    deliverable = models.TextField(_("deliverable"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=STORED_STATUSES, default=TaskStatus.NOT_STARTED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=TaskSource.choices, default=TaskSource.PLAN
    )
    # Seed and import rows are matched on this key so that loading the file again updates them.
    key = models.CharField(_("task number"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["plan_item__sort_key", "key"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="plan_task_done_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return self.title

    def clean(self):
        from reports.metrics.catalogue import metric_entry

        if self.indicator_metric and metric_entry(self.indicator_metric) is None:
            raise ValidationError({"indicator_metric": _("Unknown indicator.")})
        if self.indicator_target is not None and not self.indicator_metric:
            raise ValidationError(
                {"indicator_target": _("A target needs an indicator to measure it.")}
            )


class TaskUnitRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    COOPERATING = "cooperating", _("Cooperating unit")


class TaskUnit(models.Model):
    """A department or village that leads a task or cooperates on it (管行业必须管安全)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="units")
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_tasks",
        verbose_name=_("department"),
    )
    village = models.ForeignKey(
        "directory.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_tasks",
        verbose_name=_("village"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=TaskUnitRole.choices, default=TaskUnitRole.LEAD
    )

    class Meta:
        ordering = ["role", "department__sort_order", "village__name"]
        verbose_name = _("task unit")
        verbose_name_plural = _("task units")
        constraints = one_unit_constraints("plan_taskunit", once_per="task")

    def __str__(self):
        return str(self.department or self.village)


class TaskYearGoal(models.Model):
    """The goal of a task for one plan year (逐年确定工作目标)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="year_goals")
    year = models.PositiveSmallIntegerField(_("year"))
    goal = models.TextField(_("goal of the year"))
    target_value = models.DecimalField(
        _("target of the year"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("yearly goal")
        verbose_name_plural = _("yearly goals")
        constraints = [
            models.UniqueConstraint(fields=["task", "year"], name="plan_yeargoal_once"),
        ]

    def __str__(self):
        return f"{self.year}: {self.goal[:30]}"


class TaskProgress(models.Model):
    """A unit's progress on one task in its monthly report; frozen when the report is sent."""

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="progress", verbose_name=_("task")
    )
    report = models.ForeignKey(
        "reports.MonthlyReport",
        on_delete=models.CASCADE,
        related_name="task_progress",
        verbose_name=_("monthly report"),
    )
    progress = models.TextField(_("progress this month"), blank=True)
    percent = models.PositiveSmallIntegerField(_("percent complete"), null=True, blank=True)
    # For a task measured by a platform metric: the metric's figure for the unit, written when
    # the report is sent (reports keep the figures they were sent with), with the metric and
    # target it was read against then.
    indicator_value = models.DecimalField(
        _("indicator value"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    indicator_metric = models.CharField(_("indicator"), max_length=40, blank=True)
    indicator_target = models.DecimalField(
        _("indicator target"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    # The task's status (overdue included) when the report was sent; blank before.
    task_status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, blank=True
    )
    problems = models.TextField(_("problems"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["task__plan_item__sort_key", "task__key"]
        verbose_name = _("task progress")
        verbose_name_plural = _("task progress")
        constraints = [
            models.UniqueConstraint(fields=["task", "report"], name="plan_progress_once"),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100),
                name="plan_progress_percent",
            ),
        ]

    def __str__(self):
        return f"{self.report} · {self.task}"


def _evidence_path(instance, filename):
    name = stored_name_for(filename, EVIDENCE_EXTENSIONS)
    return f"plan/evidence/{instance.progress.report.year}/{name}"


class TaskEvidence(models.Model):
    """A file that proves a month's progress on a task; private, served to the report's viewers."""

    progress = models.ForeignKey(TaskProgress, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=_evidence_path, storage=private_storage)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.name

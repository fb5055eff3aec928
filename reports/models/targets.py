"""Targets the town office sets per metric, year and scope, and the exemplary enterprises named."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reports.metrics.catalogue import Kind, catalogue_choices, metric_entry


def metric_choices():
    # Named in migrations: keep it a function of this module.
    return catalogue_choices()


class ScopeKind(models.TextChoices):
    TOWN = "town", _("Whole town")
    DEPARTMENT = "department", _("Department")
    VILLAGE = "village", _("Village")


class TargetSource(models.TextChoices):
    # The plan's own targets (regulations.md §8, reports/plan.py) against the town's additions.
    PLAN = "plan", _("Three-year action plan")
    LOCAL = "local", _("Local target")


class Target(models.Model):
    """A metric's target for a year: a percentage (or, for a count metric, a number) by a deadline.

    A town-wide target also applies to each department and village that has none of its own.
    """

    metric = models.CharField(_("metric"), max_length=40, choices=metric_choices)
    year = models.PositiveSmallIntegerField(_("year"))
    scope = models.CharField(
        _("scope"), max_length=20, choices=ScopeKind.choices, default=ScopeKind.TOWN
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    village = models.ForeignKey(
        "directory.Village",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("village"),
    )
    target_percent = models.PositiveSmallIntegerField(
        _("target (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    target_count = models.PositiveSmallIntegerField(
        _("target (number)"),
        null=True,
        blank=True,
        help_text=_("For a count metric, e.g. exemplary enterprises per department."),
    )
    deadline = models.DateField(_("deadline"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=TargetSource.choices,
        default=TargetSource.LOCAL,
        help_text=_(
            "Whether the three-year action plan states this target or the town set it locally."
        ),
    )

    class Meta:
        ordering = ["-year", "metric", "deadline", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope="town") & Q(department__isnull=True) & Q(village__isnull=True))
                | (Q(scope="department") & Q(department__isnull=False) & Q(village__isnull=True))
                | (Q(scope="village") & Q(village__isnull=False) & Q(department__isnull=True)),
                name="reports_target_scope_unit",
            ),
            models.CheckConstraint(
                condition=Q(target_percent__isnull=True) ^ Q(target_count__isnull=True),
                name="reports_target_one_value",
            ),
            models.CheckConstraint(
                condition=Q(target_percent__isnull=True) | Q(target_percent__lte=100),
                name="reports_target_percent_max",
            ),
            models.UniqueConstraint(
                fields=["metric", "deadline"],
                condition=Q(scope="town"),
                name="reports_target_town_once",
            ),
            models.UniqueConstraint(
                fields=["metric", "deadline", "department"],
                condition=Q(scope="department"),
                name="reports_target_department_once",
            ),
            models.UniqueConstraint(
                fields=["metric", "deadline", "village"],
                condition=Q(scope="village"),
                name="reports_target_village_once",
            ),
        ]

    def __str__(self):
        value = f"{self.target_percent}%" if self.target_percent is not None else self.target_count
        return f"{self.get_metric_display()} {value} ({self.deadline:%Y-%m-%d})"

    @property
    def value(self) -> int:
        return self.target_percent if self.target_percent is not None else self.target_count

    def clean(self):
        errors = {}
        if self.deadline and self.year and self.deadline.year != self.year:
            errors["deadline"] = _("The deadline must fall in the target's year.")
        if self.scope == ScopeKind.DEPARTMENT and not self.department_id:
            errors["department"] = _("Choose the department the target is for.")
        if self.scope == ScopeKind.VILLAGE and not self.village_id:
            errors["village"] = _("Choose the village the target is for.")
        if self.scope != ScopeKind.DEPARTMENT:
            self.department = None
        if self.scope != ScopeKind.VILLAGE:
            self.village = None
        metric = metric_entry(self.metric)
        if metric is not None:
            if metric.kind == Kind.COUNT:
                if self.target_count is None:
                    errors["target_count"] = _("A count metric needs a target number.")
                self.target_percent = None
            else:
                if self.target_percent is None:
                    errors["target_percent"] = _("A rate metric needs a target percentage.")
                self.target_count = None
        if errors:
            raise ValidationError(errors)


class ExemplaryEnterprise(models.Model):
    """An enterprise the town names exemplary (示范企业) in a year."""

    enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.CASCADE,
        related_name="exemplary_years",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    named_on = models.DateField(_("named on"))
    # Shown on the public page of exemplary enterprises: what the town chose it for.
    reasons = models.TextField(
        _("reasons for the choice"),
        default="",
        help_text=_(
            "Shown on the public page: what the enterprise does that others may learn from. "
            "Write no personal data."
        ),
    )
    note = models.CharField(_("internal note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "enterprise__name", "id"]
        verbose_name = _("exemplary enterprise")
        verbose_name_plural = _("exemplary enterprises")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], name="reports_exemplary_once_a_year"
            )
        ]

    def __str__(self):
        return f"{self.enterprise} ({self.year})"

    def clean(self):
        if self.named_on and self.year and self.named_on.year != self.year:
            raise ValidationError({"named_on": _("The date must fall in the year.")})

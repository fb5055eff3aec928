"""Training hours the rules require, as data the town office edits (regulations.md §2)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.constants import PersonRole, RiskClass


class RequirementKind(models.TextChoices):
    # 《生产经营单位安全培训规定》第九条: principals and safety managers on taking office.
    INITIAL = "initial", _("Initial training")
    # 第十三条: new employees before starting work (三级教育 in manufacturing, 第十二条).
    PRE_JOB = "pre_job", _("Pre-job training")
    # 第九条, 第十三条 and 国务院安委会《关于进一步加强安全培训工作的决定》.
    ANNUAL = "annual", _("Annual re-training")
    # 第十七条: job transfer or absence of a year or more → 车间 and 班组 training again.
    RETRAINING = "retraining", _("Re-training after transfer or absence")


class TrainingRequirement(models.Model):
    """Hours a role must be trained for, by kind and industry risk class (blank: any other)."""

    kind = models.CharField(_("kind"), max_length=20, choices=RequirementKind.choices)
    person_role = models.CharField(_("role"), max_length=20, choices=PersonRole.choices)
    risk_class = models.CharField(
        _("risk class"),
        max_length=20,
        choices=RiskClass.choices,
        blank=True,
        help_text=_("Leave empty for every industry without a row of its own."),
    )
    hours = models.DecimalField(
        _("study hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Empty when the rule fixes no number of hours."),
    )
    due_within_months = models.PositiveSmallIntegerField(
        _("due within (months of taking the post)"),
        null=True,
        blank=True,
        help_text=_(
            "Months after taking the post by which the hours must be reached; empty: no deadline. "
            "The gap list of newly appointed principals and safety managers reads it."
        ),
    )
    three_level = models.BooleanField(
        _("three-level training"),
        default=False,
        help_text=_("In manufacturing, given at plant, workshop and team level (厂、车间、班组)."),
    )
    includes_non_regular = models.BooleanField(
        _("dispatched, outsourced and flexible workers included"),
        default=True,
        help_text=_("The host unit trains them as its own staff (第四条、第十一条)."),
    )
    source = models.CharField(_("source"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["person_role", "kind", "risk_class"]
        verbose_name = _("training requirement")
        verbose_name_plural = _("training requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "person_role", "risk_class"], name="training_requirement_once"
            )
        ]

    def __str__(self):
        risk = self.get_risk_class_display() or _("any industry")
        return f"{self.get_person_role_display()} · {self.get_kind_display()} · {risk}"

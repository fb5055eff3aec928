"""Training the rules require, as data the town office edits: hours (regulations.md §2) and
how often a topic is trained (§4, fire training)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.constants import PersonRole, RiskClass
from training.learning.models.ledger import TrainingTopic


class RequirementKind(models.TextChoices):
    # 《生产经营单位安全培训规定》第九条: principals and safety managers on taking office.
    INITIAL = "initial", _("Initial training")
    # 第十三条: new employees before starting work (三级教育 in manufacturing, 第十二条).
    PRE_JOB = "pre_job", _("Pre-job training")
    # 第九条, 第十三条 and 国务院安委会《关于进一步加强安全培训工作的决定》.
    ANNUAL = "annual", _("Annual re-training")
    # 第十七条: job transfer or absence of a year or more → 车间 and 班组 training again.
    RETRAINING = "retraining", _("Re-training after transfer or absence")
    # 徐泾镇三年行动方案 一(一)1: safety and fire training is a compulsory course (必修课程) of the
    # party and government leading cadres, each year.
    COMPULSORY = "compulsory", _("Compulsory course")


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


class TopicAudience(models.TextChoices):
    """Whom a topic's training duty falls on (公安部61号令 第三十六条 names three groups)."""

    FIRE_KEY_UNIT_STAFF = "fire_key_unit_staff", _("Staff of fire-safety key units")
    CROWDED_PLACE_STAFF = "crowded_place_staff", _("Staff of crowded places")
    NEW_STAFF = "new_staff", _("New staff, before starting work")


class TrainingPeriod(models.TextChoices):
    YEAR = "year", _("Calendar year")
    HALF_YEAR = "half_year", _("Half year")


class TopicTrainingRequirement(models.Model):
    """How often a group must be trained on a topic (times per period, or within days of hire)."""

    topic = models.CharField(_("training topic"), max_length=20, choices=TrainingTopic.choices)
    applies_to = models.CharField(_("applies to"), max_length=30, choices=TopicAudience.choices)
    period = models.CharField(
        _("period"),
        max_length=10,
        choices=TrainingPeriod.choices,
        blank=True,
        help_text=_("Empty for training before starting work (see the days after hire)."),
    )
    times = models.PositiveSmallIntegerField(
        _("times per period"), default=1, validators=[MinValueValidator(1)]
    )
    within_days_of_hire = models.PositiveSmallIntegerField(
        _("within days of hire"),
        null=True,
        blank=True,
        help_text=_(
            "For training before starting work: days after the hire date by which it must be "
            "recorded; a later training is late."
        ),
    )
    source = models.CharField(_("source"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["topic", "applies_to"]
        verbose_name = _("topic training requirement")
        verbose_name_plural = _("topic training requirements")
        constraints = [
            models.UniqueConstraint(fields=["topic", "applies_to"], name="training_topic_once"),
            # A row is either periodic or tied to the hire date, never both nor neither.
            models.CheckConstraint(
                condition=(~Q(period="") & Q(within_days_of_hire__isnull=True))
                | (Q(period="") & Q(within_days_of_hire__isnull=False)),
                name="training_topic_period_or_hire",
            ),
        ]

    def __str__(self):
        return f"{self.get_topic_display()} · {self.get_applies_to_display()}"

    def clean(self):
        if bool(self.period) == (self.within_days_of_hire is not None):
            raise ValidationError(
                _("Give either a period or the days after hire, not both and not neither.")
            )

    @property
    def rule_label(self) -> str:
        if not self.period:
            return _("Within %(days)s days of hire") % {"days": self.within_days_of_hire}
        if self.period == TrainingPeriod.HALF_YEAR:
            return _("%(times)s time(s) every half year") % {"times": self.times}
        return _("%(times)s time(s) a year") % {"times": self.times}

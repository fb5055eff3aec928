"""Drill plans and drill records of the enterprises (regulations.md §4)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Archivable
from training.drills.rules import DUTY_FIELDS, DrillDuty, record_duties


class DrillScenario(models.TextChoices):
    FIRE_EVACUATION = "fire_evacuation", _("Fire evacuation")
    HAZARDOUS_CHEMICAL_LEAK = "hazardous_chemical_leak", _("Hazardous chemical leak")
    GAS_LEAK = "gas_leak", _("Gas leak")
    EARTHQUAKE = "earthquake", _("Earthquake")
    CONFINED_SPACE_RESCUE = "confined_space_rescue", _("Confined space rescue")
    OTHER = "other", _("Other")


class PlanType(models.TextChoices):
    """The emergency plan a drill exercises (《生产安全事故应急预案管理办法》第三十三条)."""

    COMPREHENSIVE = "comprehensive", _("Comprehensive plan")
    SPECIAL = "special", _("Special plan")
    ON_SITE = "on_site", _("On-site disposal plan")


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    MORE_INFORMATION = "more_information", _("More information requested")


class DrillPlan(models.Model):
    """A drill an enterprise plans for a year."""

    enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.PROTECT,
        related_name="drill_plans",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    planned_date = models.DateField(_("planned date"))
    scenario = models.CharField(_("scenario"), max_length=30, choices=DrillScenario.choices)
    plan_type = models.CharField(_("plan type"), max_length=20, choices=PlanType.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "planned_date", "id"]
        verbose_name = _("drill plan")
        verbose_name_plural = _("drill plans")
        indexes = [models.Index(fields=["enterprise", "year"])]

    def __str__(self):
        return f"{self.enterprise} {self.planned_date} {self.get_scenario_display()}"

    def clean(self):
        if self.planned_date and self.year and self.planned_date.year != self.year:
            raise ValidationError(
                {"planned_date": _("The planned date must fall in the plan's year.")}
            )


class DrillRecord(Archivable):
    """A drill an enterprise held, as entered by the enterprise and reviewed by an officer."""

    enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.PROTECT,
        related_name="drill_records",
        verbose_name=_("enterprise"),
    )
    date = models.DateField(_("date"))
    scenario = models.CharField(_("scenario"), max_length=30, choices=DrillScenario.choices)
    plan_type = models.CharField(_("plan type"), max_length=20, choices=PlanType.choices)
    # Drills are held within one day; an all-clear after midnight is not supported.
    alarm_time = models.TimeField(_("alarm time"))
    all_clear_time = models.TimeField(_("all-clear time"))
    headcount = models.PositiveIntegerField(
        _("headcount on site"), validators=[MinValueValidator(1)]
    )
    evacuated = models.PositiveIntegerField(_("number evacuated"))
    observers = models.TextField(_("observers"), blank=True)
    problems_found = models.TextField(_("problems found"), blank=True)
    evaluation = models.TextField(_("evaluation"), blank=True)
    # The duties the drill meets (training.drills.rules.DrillDuty): those its kind implies are
    # set on save; one its kind cannot meet is refused by clean() and dropped by save().
    meets_evacuation = models.BooleanField(_("meets the evacuation-drill duty"), default=False)
    meets_plan = models.BooleanField(
        _("meets the comprehensive-or-special plan duty"), default=False
    )
    meets_on_site = models.BooleanField(_("meets the on-site plan duty"), default=False)
    meets_fire = models.BooleanField(_("meets the fire-drill duty"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    review_status = models.CharField(
        _("review status"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.SUBMITTED,
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("drill record")
        verbose_name_plural = _("drill records")
        indexes = [models.Index(fields=["enterprise", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(all_clear_time__gt=models.F("alarm_time")),
                name="training_drill_all_clear_after_alarm",
                violation_error_message=_("The all-clear time must be after the alarm time."),
            ),
            models.CheckConstraint(
                condition=models.Q(evacuated__lte=models.F("headcount")),
                name="training_drill_evacuated_within_headcount",
                violation_error_message=_(
                    "The number evacuated cannot exceed the headcount on site."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.date} {self.get_scenario_display()}"

    def save(self, *args, **kwargs):
        self.settle_duties()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"scenario", "plan_type"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *DUTY_FIELDS.values()}
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.alarm_time and self.all_clear_time and self.all_clear_time <= self.alarm_time:
            errors["all_clear_time"] = _("The all-clear time must be after the alarm time.")
        if (
            self.evacuated is not None
            and self.headcount is not None
            and self.evacuated > self.headcount
        ):
            errors["evacuated"] = _("The number evacuated cannot exceed the headcount on site.")
        if self.scenario and self.plan_type:
            _met, refused = record_duties(
                scenario=self.scenario, plan_type=self.plan_type, claimed=self.duties
            )
            if refused:
                errors["scenario"] = refused
        if errors:
            raise ValidationError(errors)

    @property
    def duties(self) -> set[str]:
        """The duties this record's fields say it meets (as saved, or as claimed before save)."""
        return {duty for duty, name in DUTY_FIELDS.items() if getattr(self, name)}

    @property
    def duty_labels(self) -> str:
        """The duties met, by name in the rules' order ("疏散演练、消防演练"), or "—"."""
        met = self.duties
        return "、".join(str(d.label) for d in DrillDuty if d.value in met) or "—"

    def settle_duties(self) -> None:
        """Set the duties from the record's kind: implied ones on, impossible ones off."""
        met, _refused = record_duties(
            scenario=self.scenario, plan_type=self.plan_type, claimed=self.duties
        )
        for duty, name in DUTY_FIELDS.items():
            setattr(self, name, duty in met)

    @property
    def evacuation_duration(self) -> datetime.timedelta | None:
        if not (self.alarm_time and self.all_clear_time):
            return None
        day = self.date or datetime.date.min
        return datetime.datetime.combine(day, self.all_clear_time) - datetime.datetime.combine(
            day, self.alarm_time
        )

    @property
    def participation_rate(self) -> float | None:
        """Share of the people on site who evacuated, 0–1."""
        if not self.headcount or self.evacuated is None:
            return None
        return self.evacuated / self.headcount

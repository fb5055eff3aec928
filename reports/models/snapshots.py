"""Stored results of the coverage metrics, so a city-sized dashboard reads instead of counting."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The unit kinds a metric's items carry, by the letter `MetricSnapshot.dims` uses.
DIMS = {"d": "department_id", "v": "village_id", "i": "industry_id"}


class MetricSnapshot(models.Model):
    """One metric's items for a year, summed over every unit kind not in `dims`, as counted at
    `computed_at` by the beat task (reports.services.snapshots)."""

    metric_code = models.CharField(_("metric"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    # Which of department (d), village (v), industry (i) the rows keep; the others are summed.
    dims = models.CharField(_("units kept"), max_length=3, blank=True)
    # [[department_id, village_id, industry_id, covered_month, count], ...]; None where summed.
    items = models.JSONField(pgettext_lazy("coverage snapshot", "items"), default=list)
    computed_at = models.DateTimeField(_("computed at"))
    seconds = models.FloatField(_("seconds taken"), default=0)
    # The month the metric's EnterpriseMeasure rows were reduced to (None: none stored).
    enterprise_month = models.PositiveSmallIntegerField(
        _("month of the enterprises' figures"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("metric snapshot")
        verbose_name_plural = _("metric snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["metric_code", "year", "dims"], name="snapshot_one_per_year_and_dims"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric_code} {self.year} [{self.dims}] @ {self.computed_at:%Y-%m-%d %H:%M}"


class EnterpriseMeasure(models.Model):
    """One enterprise's own figure of a rate metric at the end of a month, stored with the metric's
    snapshot (only figures below 100 %: the others cannot lag whatever the target)."""

    metric_code = models.CharField(_("metric"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    covered = models.PositiveIntegerField(_("covered"))
    total = models.PositiveIntegerField(_("total"))

    class Meta:
        verbose_name = _("enterprise figure")
        verbose_name_plural = _("enterprise figures")
        constraints = [
            models.UniqueConstraint(
                fields=["metric_code", "year", "enterprise"], name="enterprise_measure_one_per_year"
            )
        ]
        indexes = [
            models.Index(fields=["enterprise", "metric_code"], name="enterprise_measure_ent")
        ]

    def __str__(self) -> str:
        return f"{self.metric_code} {self.year}-{self.month} #{self.enterprise_id}: {self.covered}/{self.total}"

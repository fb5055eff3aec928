"""Stored results of the coverage metrics, so a city-sized dashboard reads instead of counting."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MetricSnapshot(models.Model):
    """One metric's town-wide items for a year, as counted at `computed_at` (a beat task's run)."""

    metric_code = models.CharField(_("metric"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    # [[department_id, village_id, industry_id, covered_month, count], ...]: Metric.items of the
    # whole town; a narrower scope's items are the rows of its units (reports.selectors.snapshots).
    items = models.JSONField(_("items"), default=list)
    computed_at = models.DateTimeField(_("computed at"))
    seconds = models.FloatField(_("seconds taken"), default=0)

    class Meta:
        verbose_name = _("metric snapshot")
        verbose_name_plural = _("metric snapshots")
        constraints = [
            models.UniqueConstraint(fields=["metric_code", "year"], name="snapshot_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.metric_code} {self.year} @ {self.computed_at:%Y-%m-%d %H:%M}"

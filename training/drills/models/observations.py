"""Officers' on-site observations of a drill: who watched, when, and what they saw."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DrillObservation(models.Model):
    record = models.ForeignKey(
        "training.DrillRecord",
        on_delete=models.CASCADE,
        related_name="observations",
        verbose_name=_("drill record"),
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("observer"),
    )
    # The observer's name and unit as they were, so the record reads the same if accounts change.
    observer_name = models.CharField(_("observer's name"), max_length=150)
    observed_at = models.DateTimeField(_("observed at"))
    note = models.TextField(_("observation"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["record", "observed_at", "id"]
        verbose_name = _("on-site observation")
        verbose_name_plural = _("on-site observations")

    def __str__(self):
        return f"{self.observer_name} {self.observed_at:%Y-%m-%d %H:%M}"

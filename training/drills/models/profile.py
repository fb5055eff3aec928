"""An enterprise's drill settings, kept by the enterprise or its supervisors."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DrillProfile(models.Model):
    """What an enterprise declares about its emergency plans that changes the drills it owes.

    An enterprise that keeps an on-site disposal plan (现场处置方案) drills it every half year
    (《生产安全事故应急预案管理办法》第三十三条); training.drills.rules reads the flag.
    """

    enterprise = models.OneToOneField(
        "directory.Enterprise",
        on_delete=models.CASCADE,
        related_name="drill_profile",
        verbose_name=_("enterprise"),
    )
    keeps_on_site_plan = models.BooleanField(
        _("keeps an on-site disposal plan"),
        default=False,
        help_text=_("Its on-site disposal plan is then drilled every half year."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["enterprise__name"]
        verbose_name = _("drill setting")
        verbose_name_plural = _("drill settings")

    def __str__(self):
        return str(self.enterprise)

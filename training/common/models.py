"""Who a course assignment, a session or an exam is for: the fields they share."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.constants import PersonRole


class AudienceFields(models.Model):
    """An audience by role, industry and enterprise (training.learning.services.assignments.assignment_audience)."""

    audience_role = models.CharField(
        _("role"), max_length=20, choices=PersonRole.choices, blank=True
    )
    audience_industry = models.ForeignKey(
        "directory.Industry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("industry"),
    )
    audience_enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
    )

    class Meta:
        abstract = True

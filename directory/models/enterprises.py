"""Enterprises (生产经营单位) under the town's supervision."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.constants import EnterpriseStatus
from directory.identifiers import credit_code_validate


class Enterprise(models.Model):
    """A business unit the town supervises: its place, sector, flags and principal."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[credit_code_validate],
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    village = models.ForeignKey(
        "directory.Village",
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("village"),
    )
    industry = models.ForeignKey(
        "directory.Industry",
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("industry"),
    )
    lead_department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("lead department"),
    )
    headcount = models.PositiveIntegerField(_("headcount"), default=0)
    is_fire_key_unit = models.BooleanField(_("fire-safety key unit"), default=False)
    handles_hazardous_chemicals = models.BooleanField(
        _("handles hazardous chemicals"), default=False
    )
    is_crowded_place = models.BooleanField(_("crowded place"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.ACTIVE,
    )
    principal = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("principal"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

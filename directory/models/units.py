"""Departments, villages and industries: the units the registry is organised by."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.constants import RiskClass


class Industry(models.Model):
    """An industry (行业领域) with the risk class that decides training hours and drill frequency."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    risk_class = models.CharField(
        _("risk class"), max_length=20, choices=RiskClass.choices, default=RiskClass.GENERAL
    )
    # 《生产安全事故应急条例》(708号令) 第八条: units handling flammable, explosive or hazardous
    # goods, mines, metal smelting, urban rail, construction, and hotels, shopping malls,
    # entertainment venues, scenic spots and other crowded places drill every half year. The town
    # office ticks the industries that are such units; training.drills.rules reads it.
    drills_half_yearly = models.BooleanField(
        _("drills every half year"),
        default=False,
        help_text=_(
            "Units of this industry drill their emergency plans every half year "
            "(Regulations on Emergency Response to Production Safety Accidents, Article 8)."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self):
        return self.name


class Department(models.Model):
    """A supervising department (监管部门 / 牵头单位), or the town safety office itself."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_town_office = models.BooleanField(_("town safety office"), default=False)
    industries = models.ManyToManyField(
        Industry, blank=True, related_name="lead_departments", verbose_name=_("industries led")
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["is_town_office"],
                condition=models.Q(is_town_office=True),
                name="directory_one_town_office",
            )
        ]

    def __str__(self):
        return self.name


class Village(models.Model):
    """A village or residential community (村居) of the town."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[("village", _("Village")), ("community", _("Community"))],
        default="village",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")

    def __str__(self):
        return self.name

"""How far a campaign reaches (徐泾镇三年行动方案 第27条: 进企业、进农村、进社区、进学校、进家庭):
its activities, media reports and warning-film showings, rows of the campaign page (inline
panels) so the figures are counted in SQL (content.reach.selectors)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable


class ReachKind(models.TextChoices):
    """Where an activity goes; the values are those of the events' audience (content.blocks)."""

    ENTERPRISES = "enterprises", _("Into enterprises")  # 进企业
    VILLAGES = "villages", _("Into the countryside")  # 进农村
    COMMUNITIES = "communities", _("Into communities")  # 进社区
    SCHOOLS = "schools", _("Into schools")  # 进学校
    FAMILIES = "families", _("Into families")  # 进家庭


class OutletKind(models.TextChoices):
    TV = "tv", _("Television")
    PRESS = "press", _("Newspaper")
    WECHAT = "wechat", _("WeChat")
    WEB = "web", _("Website")
    OTHER = "other", _("Other")


class CampaignActivity(Orderable):
    """One activity of a campaign: where it went, who organised it, how many took part."""

    page = ParentalKey("content.CampaignPage", on_delete=models.CASCADE, related_name="activities")
    date = models.DateField(_("date"))
    kind = models.CharField(_("where it went"), max_length=20, choices=ReachKind.choices)
    place = models.CharField(_("unit or place"), max_length=255)
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_activities",
        verbose_name=_("enterprise"),
        help_text=_("The registry enterprise the activity went into, if any."),
    )
    village = models.ForeignKey(
        "directory.Village",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_activities",
        verbose_name=_("village"),
        help_text=_("Empty for an enterprise: the enterprise's village is counted."),
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_activities",
        verbose_name=_("organising department"),
    )
    organiser = models.CharField(_("organiser"), max_length=255, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    materials = models.PositiveIntegerField(_("materials handed out"), default=0)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("kind")]),
        FieldPanel("place"),
        FieldRowPanel([FieldPanel("enterprise"), FieldPanel("village")]),
        FieldRowPanel([FieldPanel("department"), FieldPanel("organiser")]),
        FieldRowPanel([FieldPanel("participants"), FieldPanel("materials")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("campaign activity")
        verbose_name_plural = _("campaign activities")
        indexes = [models.Index(fields=["date"], name="content_activity_date")]

    def __str__(self):
        return f"{self.date} {self.place}"


class CampaignMediaReport(Orderable):
    """A report of the campaign in the media (TV, press, WeChat)."""

    page = ParentalKey(
        "content.CampaignPage", on_delete=models.CASCADE, related_name="media_reports"
    )
    outlet_kind = models.CharField(_("kind of outlet"), max_length=20, choices=OutletKind.choices)
    outlet = models.CharField(_("outlet"), max_length=200)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=255, blank=True)
    link = models.URLField(_("link"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("outlet_kind"), FieldPanel("outlet"), FieldPanel("date")]),
        FieldPanel("title"),
        FieldPanel("link"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("media report")
        verbose_name_plural = _("media reports")

    def __str__(self):
        return f"{self.outlet} {self.date}"


class CampaignFilmShowing(Orderable):
    """A showing of a warning film (警示教育片): which film, where, to how many."""

    page = ParentalKey(
        "content.CampaignPage", on_delete=models.CASCADE, related_name="film_showings"
    )
    film = models.CharField(_("film"), max_length=200)
    date = models.DateField(_("date"))
    kind = models.CharField(_("where it went"), max_length=20, choices=ReachKind.choices)
    place = models.CharField(_("unit or place"), max_length=255)
    village = models.ForeignKey(
        "directory.Village",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="film_showings",
        verbose_name=_("village"),
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="film_showings",
        verbose_name=_("organising department"),
    )
    audience = models.PositiveIntegerField(_("audience"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("film"), FieldPanel("date")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("place")]),
        FieldRowPanel([FieldPanel("village"), FieldPanel("department")]),
        FieldPanel("audience"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("warning-film showing")
        verbose_name_plural = _("warning-film showings")

    def __str__(self):
        return f"{self.film} {self.date}"

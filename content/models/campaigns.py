"""Publicity campaigns: 安全生产月 and the other days of regulations.md §5."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from content.blocks import (
    CaseBlock,
    EventBlock,
    PosterBlock,
    RelatedPageBlock,
    VideoBlock,
    article_body_blocks,
)
from content.models.base import (
    ContentPage,
    paginate,
)


class CampaignKind(models.TextChoices):
    """Publicity calendar (regulations.md §5)."""

    SAFETY_MONTH = "safety_month", _("Safety month")  # 安全生产月, every June
    CONSULTATION_DAY = "consultation_day", _("Consultation day")  # 安全宣传咨询日, 16 June
    DISASTER_PREVENTION_DAY = "disaster_prevention_day", _("Disaster-prevention day")  # 12 May
    FIRE_DAY = "fire_day", _("Fire-safety day")  # 全国消防日, 9 November
    TRAFFIC_DAY = "traffic_day", _("Traffic-safety day")  # 全国交通安全日, 2 December
    FIRE_MONTH = "fire_month", _("Fire-safety month")  # 消防宣传月, November
    OTHER = "other", _("Other")


class PublicityDate(ClusterableModel):
    """An entry of the publicity calendar (宣传日历, regulations.md §5): a month-long campaign or
    a publicity day, with the year's themes; the town office corrects it (content/calendar.py)."""

    kind = models.CharField(_("kind"), max_length=30, choices=CampaignKind.choices, unique=True)
    name = models.CharField(_("name"), max_length=100)
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(
        _("day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Empty for a campaign that runs through the month."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("month"), FieldPanel("day")]),
        FieldPanel("source"),
        FieldPanel("sort_order"),
        InlinePanel("themes", label=_("themes")),
    ]

    class Meta:
        ordering = ["sort_order", "month", "day"]
        verbose_name = _("publicity calendar entry")
        verbose_name_plural = _("publicity calendar")

    def __str__(self):
        return self.name

    @property
    def when(self) -> str:
        if self.day:
            return _("%(month)s/%(day)s every year") % {"month": self.month, "day": self.day}
        return _("month %(month)s every year") % {"month": self.month}

    def theme_of(self, year: int) -> str:
        return next((t.theme for t in self.themes.all() if t.year == year), "")

    def occurrence(self, year: int) -> tuple[datetime.date, datetime.date]:
        """First and last day of the entry in `year`: the day itself, or the whole month."""
        if self.day:
            day = datetime.date(year, self.month, min(self.day, _month_days(year, self.month)))
            return day, day
        return (
            datetime.date(year, self.month, 1),
            datetime.date(year, self.month, _month_days(year, self.month)),
        )


def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


class PublicityTheme(Orderable):
    """The theme of one year's campaign (e.g. 2025 安全生产月), with its source."""

    entry = ParentalKey(PublicityDate, on_delete=models.CASCADE, related_name="themes")
    year = models.PositiveSmallIntegerField(_("year"))
    theme = models.CharField(_("theme"), max_length=255)
    source = models.CharField(_("source"), max_length=200, blank=True)

    panels = [FieldRowPanel([FieldPanel("year"), FieldPanel("theme")]), FieldPanel("source")]

    class Meta(Orderable.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("theme")
        constraints = [
            models.UniqueConstraint(fields=["entry", "year"], name="content_theme_one_per_year")
        ]


class CampaignIndexPage(ContentPage):
    """Lists the publicity campaigns, newest first."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.CampaignPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        campaigns = (
            CampaignPage.objects.live()
            .child_of(self)
            .select_related("calendar_entry")
            .prefetch_related("calendar_entry__themes")
            .order_by("-start_date", "title")
        )
        context["campaigns"] = paginate(request, campaigns)
        return context

    class Meta:
        verbose_name = _("campaign index page")
        verbose_name_plural = _("campaign index page")


class CampaignPage(ContentPage):
    """A publicity campaign: safety month (安全生产月) or one of the publicity days."""

    kind = models.CharField(
        _("kind"), max_length=30, choices=CampaignKind.choices, default=CampaignKind.SAFETY_MONTH
    )
    year = models.PositiveSmallIntegerField(_("year"))
    calendar_entry = models.ForeignKey(
        PublicityDate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("publicity calendar entry"),
    )
    theme = models.CharField(_("theme"), max_length=255, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(article_body_blocks(), verbose_name=_("body"), blank=True)
    events = StreamField([("event", EventBlock())], verbose_name=_("events"), blank=True)
    posters = StreamField([("poster", PosterBlock())], verbose_name=_("posters"), blank=True)
    videos = StreamField([("video", VideoBlock())], verbose_name=_("videos"), blank=True)
    cases = StreamField(
        [("case", CaseBlock(page_type="content.ArticlePage"))],
        verbose_name=_("typical accident cases"),
        blank=True,
    )
    # Extension point for the training issue: courses are pages chosen here.
    related = StreamField(
        [("page", RelatedPageBlock())],
        verbose_name=_("linked courses and pages"),
        blank=True,
    )
    # Extension point for the exams issue's safety-month knowledge contest.
    contest_url = models.URLField(_("knowledge contest"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("year")]),
                FieldPanel("calendar_entry"),
                FieldPanel("theme"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            ],
            heading=_("Campaign"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("events"),
        MultiFieldPanel(
            [
                InlinePanel("activities", label=_("activity")),
                InlinePanel("media_reports", label=_("media report")),
                InlinePanel("film_showings", label=_("warning-film showing")),
            ],
            heading=_("Reach"),
        ),
        FieldPanel("posters"),
        FieldPanel("videos"),
        FieldPanel("cases"),
        FieldPanel("related"),
        FieldPanel("contest_url"),
    ]

    @property
    def shown_theme(self) -> str:
        """The page's own theme, else the year's theme in the publicity calendar."""
        if self.theme or not self.calendar_entry_id:
            return self.theme
        return self.calendar_entry.theme_of(self.year)

    search_fields = [
        *Page.search_fields,
        index.SearchField("theme", boost=2),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("events"),
        index.FilterField("kind"),
        index.FilterField("start_date"),
    ]

    parent_page_types = ["content.CampaignIndexPage"]
    subpage_types = []

    def get_context(self, request, *args, **kwargs):
        from content.reach.selectors import campaign_totals

        context = super().get_context(request, *args, **kwargs)
        context["reach"] = campaign_totals(self)
        context["media_reports"] = self.media_reports.all()
        return context

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})

    class Meta:
        verbose_name = _("campaign page")
        verbose_name_plural = _("campaign page")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="campaign_dates_in_order"
            )
        ]

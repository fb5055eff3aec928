"""The public site's page tree: home, criteria library, campaigns and news."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import (
    CaseBlock,
    EventBlock,
    PosterBlock,
    RelatedPageBlock,
    VideoBlock,
    article_body_blocks,
    criteria_body_blocks,
)

LISTING_PAGE_SIZE = 12
HOME_LATEST = 5


def _today() -> datetime.date:
    return timezone.localdate()


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _query(**params) -> str:
    """The active filters as a query-string prefix, so paging keeps them."""
    kept = {key: value for key, value in params.items() if value}
    return urlencode(kept) + "&" if kept else ""


def _paginate(request, queryset):
    return Paginator(queryset, LISTING_PAGE_SIZE).get_page(request.GET.get("page"))


class ContentPage(Page):
    """Abstract base: the description shown to search engines and in listings."""

    def meta_description(self) -> str:
        return self.search_description or getattr(self, "summary", "") or ""

    class Meta:
        abstract = True


class HomePage(ContentPage):
    """The site's front page: current campaign, latest criteria and news, ways in."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.CriteriaIndexPage",
        "content.CampaignIndexPage",
        "content.NewsIndexPage",
    ]
    max_count = 1

    def current_campaign(self):
        today = _today()
        campaigns = CampaignPage.objects.live().descendant_of(self).order_by("-start_date")
        running = campaigns.filter(start_date__lte=today, end_date__gte=today).first()
        return running or campaigns.first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaign"] = self.current_campaign()
        context["criteria"] = (
            CriteriaPage.objects.live()
            .descendant_of(self)
            .order_by(F("effective_date").desc(nulls_last=True), "-first_published_at")
            .select_related("superseded_by")[:HOME_LATEST]
        )
        context["articles"] = (
            ArticlePage.objects.live().descendant_of(self).order_by("-date", "-pk")[:HOME_LATEST]
        )
        return context

    class Meta:
        verbose_name = _("home page")


class CriteriaIndexPage(ContentPage):
    """The criteria library: every hazard-criteria standard, filterable by industry and status."""

    STATUS_IN_FORCE = "in_force"
    STATUS_SUPERSEDED = "superseded"
    STATUSES = [(STATUS_IN_FORCE, _("In force")), (STATUS_SUPERSEDED, _("Superseded"))]

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.CriteriaPage"]

    def criteria(self, *, industry: int | None = None, status: str = ""):
        pages = (
            CriteriaPage.objects.live()
            .child_of(self)
            .select_related("superseded_by")
            .order_by(F("effective_date").desc(nulls_last=True), "title")
        )
        if industry:
            pages = pages.filter(industries=industry)
        today = _today()
        superseded = Q(superseded_by__isnull=False) | Q(repealed_on__lte=today)
        if status == self.STATUS_IN_FORCE:
            pages = pages.exclude(superseded)
        elif status == self.STATUS_SUPERSEDED:
            pages = pages.filter(superseded)
        return pages

    def get_context(self, request, *args, **kwargs):
        from directory.models import Industry

        context = super().get_context(request, *args, **kwargs)
        industry = _int_or_none(request.GET.get("industry"))
        status = request.GET.get("status", "")
        if status not in dict(self.STATUSES):
            status = ""
        context.update(
            industries=Industry.objects.all(),
            statuses=self.STATUSES,
            selected_industry=industry,
            selected_status=status,
            criteria=_paginate(request, self.criteria(industry=industry, status=status)),
            query=_query(industry=industry, status=status),
        )
        return context

    class Meta:
        verbose_name = _("criteria index page")


class CriteriaPage(ContentPage):
    """One major-accident-hazard criteria standard (重大事故隐患判定标准) with its hazard items."""

    issuer = models.CharField(_("issuer"), max_length=255)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    repealed_on = models.DateField(
        _("repealed on"),
        null=True,
        blank=True,
        help_text=_("Set when the standard stops applying without a successor in the library."),
    )
    superseded_by = models.ForeignKey(
        "content.CriteriaPage",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    industries = ParentalManyToManyField(
        "directory.Industry",
        verbose_name=_("industries"),
        blank=True,
        related_name="criteria_pages",
    )
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(criteria_body_blocks(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("issuer"),
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("effective_date")]),
                FieldRowPanel([FieldPanel("superseded_by"), FieldPanel("repealed_on")]),
                FieldPanel("industries", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Standard"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("issuer"),
        index.SearchField("document_number"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("effective_date"),
    ]

    parent_page_types = ["content.CriteriaIndexPage"]
    subpage_types = []

    @property
    def is_superseded(self) -> bool:
        return bool(self.superseded_by_id) or bool(
            self.repealed_on and self.repealed_on <= _today()
        )

    def hazard_items(self) -> list:
        return [block.value for block in self.body if block.block_type == "hazard_item"]

    class Meta:
        verbose_name = _("criteria page")


class CampaignKind(models.TextChoices):
    """Publicity calendar (regulations.md §5)."""

    SAFETY_MONTH = "safety_month", _("Safety month")  # 安全生产月, every June
    CONSULTATION_DAY = "consultation_day", _("Consultation day")  # 安全宣传咨询日, 16 June
    DISASTER_PREVENTION_DAY = "disaster_prevention_day", _("Disaster-prevention day")  # 12 May
    FIRE_DAY = "fire_day", _("Fire-safety day")  # 全国消防日, 9 November
    TRAFFIC_DAY = "traffic_day", _("Traffic-safety day")  # 全国交通安全日, 2 December
    OTHER = "other", _("Other")


class CampaignIndexPage(ContentPage):
    """Lists the publicity campaigns, newest first."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.CampaignPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        campaigns = CampaignPage.objects.live().child_of(self).order_by("-start_date", "title")
        context["campaigns"] = _paginate(request, campaigns)
        return context

    class Meta:
        verbose_name = _("campaign index page")


class CampaignPage(ContentPage):
    """A publicity campaign: safety month (安全生产月) or one of the publicity days."""

    kind = models.CharField(
        _("kind"), max_length=30, choices=CampaignKind.choices, default=CampaignKind.SAFETY_MONTH
    )
    year = models.PositiveSmallIntegerField(_("year"))
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
                FieldPanel("theme"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            ],
            heading=_("Campaign"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("events"),
        FieldPanel("posters"),
        FieldPanel("videos"),
        FieldPanel("cases"),
        FieldPanel("related"),
        FieldPanel("contest_url"),
    ]
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

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})

    class Meta:
        verbose_name = _("campaign page")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="campaign_dates_in_order"
            )
        ]


class ArticleKind(models.TextChoices):
    """What an article is; warning cases feed the campaigns' typical accident cases."""

    NEWS = "news", _("News")
    NOTICE = "notice", _("Notice")
    WARNING_CASE = "warning_case", _("Typical accident case")


class ArticlePageTag(TaggedItemBase):
    """Links an article to a tag (the through model of ArticlePage.tags)."""

    content_object = ParentalKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsIndexPage(ContentPage):
    """Lists news, notices and typical accident cases, filterable by kind and tag."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ArticlePage"]

    def articles(self, *, kind: str = "", tag: str = ""):
        pages = ArticlePage.objects.live().child_of(self).order_by("-date", "-pk")
        if kind:
            pages = pages.filter(kind=kind)
        if tag:
            pages = pages.filter(tags__slug=tag)
        return pages.prefetch_related("tags")

    def get_context(self, request, *args, **kwargs):
        from taggit.models import Tag

        context = super().get_context(request, *args, **kwargs)
        kind = request.GET.get("kind", "")
        if kind not in ArticleKind.values:
            kind = ""
        tag = request.GET.get("tag", "")[:100]
        context.update(
            kinds=ArticleKind.choices,
            tags=Tag.objects.filter(
                content_articlepagetag_items__content_object__in=ArticlePage.objects.live().child_of(
                    self
                )
            )
            .distinct()
            .order_by("name"),
            selected_kind=kind,
            selected_tag=tag,
            articles=_paginate(request, self.articles(kind=kind, tag=tag)),
            query=_query(kind=kind, tag=tag),
        )
        return context

    class Meta:
        verbose_name = _("news index page")


class ArticlePage(ContentPage):
    """A news item, notice or typical accident case (典型事故案例)."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=ArticleKind.choices, default=ArticleKind.NEWS
    )
    date = models.DateField(_("date"), default=_today)
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(article_body_blocks(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("date"),
    ]

    parent_page_types = ["content.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article page")

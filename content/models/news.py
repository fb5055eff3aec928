"""News, notices and typical accident cases (典型事故案例)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import (
    article_body_blocks,
)
from content.models.base import (
    ContentPage,
    local_today,
    paginate,
)


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
            articles=paginate(request, self.articles(kind=kind, tag=tag)),
        )
        return context

    class Meta:
        verbose_name = _("news index page")
        verbose_name_plural = _("news index page")


class ArticlePage(ContentPage):
    """A news item, notice or typical accident case (典型事故案例)."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=ArticleKind.choices, default=ArticleKind.NEWS
    )
    date = models.DateField(_("date"), default=local_today)
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
        verbose_name_plural = _("article page")

"""The public site's front page; the other page types live in criteria, campaigns, news."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from content.models.base import (
    HOME_LATEST,
    ContentPage,
    local_today,
)
from content.models.campaigns import CampaignIndexPage
from content.models.criteria import CriteriaIndexPage
from content.models.news import ArticlePage, NewsIndexPage
from content.selectors import campaign_featured


class HomePage(ContentPage):
    """The site's front page: the current or next campaign, quick entries, latest news, hotline."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.CriteriaIndexPage",
        "content.CampaignIndexPage",
        "content.NewsIndexPage",
        "content.CourseIndexPage",
    ]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured"] = campaign_featured(root=self, today=local_today())
        context["criteria_index"] = CriteriaIndexPage.objects.live().child_of(self).first()
        context["campaign_index"] = CampaignIndexPage.objects.live().child_of(self).first()
        context["news_index"] = NewsIndexPage.objects.live().child_of(self).first()
        context["articles"] = (
            ArticlePage.objects.live().descendant_of(self).order_by("-date", "-pk")[:HOME_LATEST]
        )
        return context

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home page")

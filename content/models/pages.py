"""The public site's front page; the other page types live in criteria, campaigns, news."""

from django.db.models import F
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
from content.models.campaigns import CampaignPage
from content.models.criteria import CriteriaPage
from content.models.news import ArticlePage


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
        "content.CourseIndexPage",
    ]
    max_count = 1

    def current_campaign(self):
        today = local_today()
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
        verbose_name_plural = _("home page")

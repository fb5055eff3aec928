"""The hazard-criteria library: one page per standard, with its hazard items as blocks."""

from django import forms
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import (
    criteria_body_blocks,
)
from content.models.base import (
    ContentPage,
    int_or_none,
    local_today,
    paginate,
)


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
        today = local_today()
        superseded = Q(superseded_by__isnull=False) | Q(repealed_on__lte=today)
        if status == self.STATUS_IN_FORCE:
            pages = pages.exclude(superseded)
        elif status == self.STATUS_SUPERSEDED:
            pages = pages.filter(superseded)
        return pages

    def get_context(self, request, *args, **kwargs):
        from directory.models import Industry

        context = super().get_context(request, *args, **kwargs)
        industry = int_or_none(request.GET.get("industry"))
        status = request.GET.get("status", "")
        if status not in dict(self.STATUSES):
            status = ""
        context.update(
            industries=Industry.objects.all(),
            statuses=self.STATUSES,
            selected_industry=industry,
            selected_status=status,
            criteria=paginate(request, self.criteria(industry=industry, status=status)),
        )
        return context

    class Meta:
        verbose_name = _("criteria index page")
        verbose_name_plural = _("criteria index page")


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
            self.repealed_on and self.repealed_on <= local_today()
        )

    def hazard_items(self) -> list:
        return [block.value for block in self.body if block.block_type == "hazard_item"]

    class Meta:
        verbose_name = _("criteria page")
        verbose_name_plural = _("criteria page")

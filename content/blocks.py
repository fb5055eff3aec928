"""StreamField blocks shared by the content pages: rich text, documents, videos, hazard items."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock
from wagtailmedia.blocks import VideoChooserBlock


class Audience(models.TextChoices):
    """Who a campaign event reaches (三年行动方案 item 27: 进企业、进农村、进社区、进学校、进家庭)."""

    ENTERPRISES = "enterprises", _("Enterprises")
    VILLAGES = "villages", _("Villages")
    SCHOOLS = "schools", _("Schools")
    COMMUNITIES = "communities", _("Communities")
    FAMILIES = "families", _("Families")


def anchor_for(number: str) -> str:
    """A stable HTML id for a hazard item: `item-` + its number ("3.1" → item-3-1)."""
    return "item-" + (re.sub(r"[^\w]+", "-", number).strip("-") or "0")


class RichTextBlock(blocks.RichTextBlock):
    class Meta:
        icon = "pilcrow"
        template = "content/blocks/rich_text.html"
        label = _("Text")
        description = _("Paragraphs, headings, lists and links.")
        preview_value = "<p>安全生产，人人有责。</p>"
        features = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class DocumentBlock(DocumentChooserBlock):
    class Meta:
        icon = "doc-full"
        template = "content/blocks/document.html"
        label = _("Document")
        description = _("A file to download, such as the standard's PDF.")


class VideoBlock(VideoChooserBlock):
    class Meta:
        icon = "media"
        template = "content/blocks/video.html"
        label = _("Video")
        description = _("An explanation video (解读视频) with its poster and transcript.")


class PosterBlock(ImageBlock):
    class Meta:
        icon = "image"
        template = "content/blocks/poster.html"
        label = _("Poster")
        description = _("A poster or photo, with alt text for people who cannot see it.")


class HazardItemValue(blocks.StructValue):
    @property
    def anchor(self) -> str:
        return anchor_for(self.get("number") or "")


class HazardItemBlock(blocks.StructBlock):
    """One item of a criteria standard, structured so exams and inspections can cite it."""

    number = blocks.CharBlock(
        label=_("Item number"),
        max_length=40,
        help_text=_("As the standard numbers it, e.g. 第三条（一） or 3.1."),
    )
    hazard = blocks.TextBlock(label=_("Hazard"))
    inspection = blocks.TextBlock(label=_("How an inspector checks it"))
    legal_basis = blocks.CharBlock(label=_("Legal basis"), required=False, max_length=255)

    class Meta:
        icon = "warning"
        template = "content/blocks/hazard_item.html"
        value_class = HazardItemValue
        label = _("Hazard item")
        description = _("A major-accident hazard: its number, what it is, how to check it.")
        preview_value = {
            "number": "3.1",
            "hazard": "特种作业人员未持证上岗。",
            "inspection": "查阅特种作业人员名册和操作证，现场核对作业人员。",
            "legal_basis": "",
        }


class EventBlock(blocks.StructBlock):
    """A campaign event: when, where, who organises it and whom it reaches."""

    date = blocks.DateBlock(label=_("Date"))
    place = blocks.CharBlock(label=_("Place"), max_length=255)
    organiser = blocks.CharBlock(label=_("Organiser"), max_length=255)
    audience = blocks.MultipleChoiceBlock(
        label=_("Audience"), choices=Audience.choices, required=False
    )
    description = blocks.TextBlock(label=_("Description"), required=False)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        labels = dict(Audience.choices)
        context["audience_labels"] = [labels[v] for v in value["audience"] or [] if v in labels]
        return context

    class Meta:
        icon = "date"
        template = "content/blocks/event.html"
        label = _("Event")
        description = _("An activity of the campaign.")
        preview_value = {
            "date": "2025-06-16",
            "place": "徐泾镇文体中心广场",
            "organiser": "镇安委办",
            "audience": ["enterprises", "communities"],
            "description": "安全宣传咨询日现场咨询。",
        }


class CaseBlock(blocks.PageChooserBlock):
    class Meta:
        icon = "warning"
        template = "content/blocks/page_link.html"
        label = _("Accident case")
        description = _("A typical accident case (an article of kind warning case).")


class RelatedPageBlock(blocks.PageChooserBlock):
    class Meta:
        icon = "link"
        template = "content/blocks/page_link.html"
        label = _("Related page")
        description = _("A page to study with this one, such as a course.")


def criteria_body_blocks() -> list:
    return [
        ("text", RichTextBlock()),
        ("document", DocumentBlock()),
        ("video", VideoBlock()),
        ("hazard_item", HazardItemBlock()),
    ]


def article_body_blocks() -> list:
    return [
        ("text", RichTextBlock()),
        ("image", PosterBlock()),
        ("document", DocumentBlock()),
        ("video", VideoBlock()),
    ]

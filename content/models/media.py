"""Explanation videos (解读视频) and other media, via wagtailmedia with a transcript."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index
from wagtailmedia.models import AbstractMedia


class Video(AbstractMedia):
    """A video or audio file for the CMS: poster (thumbnail), duration and a transcript."""

    transcript = models.TextField(
        _("transcript"),
        blank=True,
        help_text=_("What is said in the video, for people who cannot hear it and for search."),
    )

    admin_form_fields = (*AbstractMedia.admin_form_fields, "transcript")
    search_fields = [*AbstractMedia.search_fields, index.SearchField("transcript")]

    class Meta(AbstractMedia.Meta):
        verbose_name = _("video")
        verbose_name_plural = _("videos")

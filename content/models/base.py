"""What every public page type shares: the description, listings' paging and filters."""

import datetime

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.encoding import iri_to_uri, uri_to_iri
from wagtail.models import Page

LISTING_PAGE_SIZE = 12
HOME_LATEST = 5


def local_today() -> datetime.date:
    return timezone.localdate()


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def paginate(request, queryset):
    return Paginator(queryset, LISTING_PAGE_SIZE).get_page(request.GET.get("page"))


class ContentPage(Page):
    """Abstract base: the description shown to search engines and in listings, readable URLs."""

    def meta_description(self) -> str:
        return self.search_description or getattr(self, "summary", "") or ""

    def get_url_parts(self, request=None):
        """A page titled in Chinese keeps a Chinese slug (WAGTAIL_ALLOW_UNICODE_SLUGS): its links
        are written as the IRI /news/安全生产月/, not /news/%E5%AE%89…/ as reverse() quotes it;
        browsers encode the path when they ask, and Django decodes it again."""
        parts = super().get_url_parts(request)
        if parts is None:
            return None
        site_id, root_url, page_path = parts
        return site_id, root_url, uri_to_iri(page_path)

    def get_sitemap_urls(self, request=None):
        # A sitemap's <loc> must be an escaped URI (sitemaps.org protocol).
        urls = super().get_sitemap_urls(request)
        for url in urls:
            url["location"] = iri_to_uri(url["location"])
        return urls

    class Meta:
        abstract = True

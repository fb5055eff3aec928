"""What every public page type shares: the description, listings' paging and filters."""

import datetime

from django.core.paginator import Paginator
from django.utils import timezone
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
    """Abstract base: the description shown to search engines and in listings."""

    def meta_description(self) -> str:
        return self.search_description or getattr(self, "summary", "") or ""

    class Meta:
        abstract = True

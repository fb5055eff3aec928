"""Public page search: the selector behind /search/, and highlighting of the query's words.

Segmentation lives in `segment.py`, the Wagtail search backend that uses it in `backend.py`.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from wagtail.models import Page, Site
from wagtail.search import index

from .segment import segment_query

MAX_QUERY_LENGTH = 100
SNIPPET_LENGTH = 120
SNIPPET_LEAD = 30  # characters shown before the first match


@dataclass(frozen=True)
class PageType:
    key: str  # ?type=…: the model name without "page" (criteria, campaign, article…)
    label: str
    count: int


@dataclass
class PageSearch:
    query: str
    words: list[str]
    results: Iterable[Page] = ()  # Wagtail SearchResults: sliced by the paginator, ranked
    types: list[PageType] = field(default_factory=list)
    type: str = ""


@dataclass(frozen=True)
class SearchHit:
    page: Page  # the specific page
    type_label: str
    title: SafeString
    snippet: SafeString


def page_type_key(content_type: ContentType) -> str:
    return content_type.model.removesuffix("page") or "page"


def page_search(*, query: str, page_type: str = "", site: Site | None = None) -> PageSearch:
    """Live public pages (of `site`) matching `query`, by relevance, and the page types found.

    An unknown `page_type` means all types. Three queries: the type facet, the count, a slice.
    """
    query = query.strip()[:MAX_QUERY_LENGTH]
    words = segment_query(query)
    if not words:
        return PageSearch(query=query, words=[])
    pages = Page.objects.live().public().exclude(depth=1)
    if site is not None:
        pages = pages.in_site(site)

    counts = pages.search(query).facet("content_type_id")
    types, type_ids = [], {}
    for content_type_id, count in counts.items():
        content_type = ContentType.objects.get_for_id(content_type_id)
        model = content_type.model_class()
        if model is None:
            continue
        key = page_type_key(content_type)
        type_ids.setdefault(key, []).append(content_type_id)
        types.append(PageType(key=key, label=str(model._meta.verbose_name), count=count))
    if page_type in type_ids:
        pages = pages.filter(content_type__in=type_ids[page_type])
    else:
        page_type = ""
    return PageSearch(
        query=query,
        words=words,
        results=_current_first(pages, query),
        types=sorted(types, key=lambda t: (-t.count, t.label)),
        type=page_type,
    )


class RankedAfter(Sequence):
    """Two ranked result sets read as one: every result of `first`, then those of `then`.

    Paginator reads `count()` and slices; each slice asks only the sets it reaches.
    """

    def __init__(self, first, then):
        self.first, self.then = first, then
        self._counts = None

    def _sizes(self) -> tuple[int, int]:
        if self._counts is None:
            self._counts = (self.first.count(), self.then.count())
        return self._counts

    def count(self) -> int:
        return sum(self._sizes())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start, stop, _step = key.indices(self.count())
        first_size = self._sizes()[0]
        found = []
        if start < first_size:
            found += list(self.first[start : min(stop, first_size)])
        if stop > first_size:
            found += list(self.then[max(start - first_size, 0) : stop - first_size])
        return found


def _current_first(pages, query: str):
    """Ranked results, with superseded or repealed standards after every current page: a
    search for 燃气 answers GB 35181-2025 before GB 35181-2017, whatever their text scores.
    One query for the superseded ids (a handful of standards), one count per set."""
    # Imported here: Wagtail imports content.search.backend, in this package, with the settings.
    from content.models import CriteriaPage
    from content.models.base import local_today

    superseded = list(
        CriteriaPage.objects.filter(
            Q(superseded_by__isnull=False) | Q(repealed_on__lte=local_today())
        ).values_list("pk", flat=True)
    )
    if not superseded:
        return pages.search(query)
    return RankedAfter(
        pages.exclude(pk__in=superseded).search(query),
        pages.filter(pk__in=superseded).search(query),
    )


def search_hits(pages: Iterable[Page], *, words: list[str]) -> list[SearchHit]:
    """One page of results as specific pages with highlighted title and snippet, in rank order.

    One query per page type on the page (Wagtail's `specific()`).
    """
    ids = [page.pk for page in pages]
    by_id = Page.objects.filter(pk__in=ids).specific().in_bulk()
    return [
        SearchHit(
            page=by_id[pk],
            type_label=str(by_id[pk]._meta.verbose_name),
            title=highlight(by_id[pk].title, words),
            snippet=page_snippet(by_id[pk], words),
        )
        for pk in ids
        if pk in by_id
    ]


def _words_pattern(words: list[str]) -> re.Pattern | None:
    words = sorted({word for word in words if word}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


def highlight(text: str, words: list[str]) -> SafeString:
    """`text` escaped, with each occurrence of the query's words wrapped in <mark>."""
    pattern = _words_pattern(words)
    if pattern is None:
        return escape(text)
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def _text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_text(item) for item in value.values())
    return "" if value is None else str(value)


def page_texts(page: Page) -> list[str]:
    """The page's searchable texts other than the title, then its search description."""
    texts = [
        _text(search_field.get_value(page))
        for search_field in page.get_search_fields()
        if isinstance(search_field, index.SearchField) and search_field.field_name != "title"
    ]
    texts.append(page.search_description)
    return [" ".join(text.split()) for text in texts if text and text.strip()]


def page_snippet(page: Page, words: list[str]) -> SafeString:
    """A short passage of the page around the first of the query's words, highlighted."""
    texts = page_texts(page)
    if not texts:
        return mark_safe("")  # noqa: S308 - empty
    pattern = _words_pattern(words)
    text, start = texts[0], 0
    for candidate in texts:
        match = pattern.search(candidate) if pattern else None
        if match:
            text, start = candidate, max(match.start() - SNIPPET_LEAD, 0)
            break
    passage = Truncator(text[start:]).chars(SNIPPET_LENGTH)
    return highlight(("…" if start else "") + passage, words)

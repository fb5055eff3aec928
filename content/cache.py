"""Full-page cache of public Wagtail pages for anonymous visitors, purged when any page changes.

Only responses that set no cookie are stored: public pages carry no CSRF token (the language
switcher is a plain link, config.locale.language_switch), so one copy serves every visitor.

A cached entry is stamped with the cache "generation" current when its request started; publishing,
unpublishing, moving or deleting any page sets a new generation, so every older entry stops being
served at once (no list of keys to find and delete). Generation and entry are read in one
`get_many`: a hit costs one cache round trip and no database query.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "pagecache:generation"
ENTRY_PREFIX = "pagecache:page:"
# Query parameters the public pages read (pagination and listing filters); a request with any
# other parameter is served uncached rather than letting made-up URLs fill the cache.
DEFAULT_QUERY_PARAMS = ("page", "industry", "status", "kind", "tag")
# A safety net for what does not publish a page (an image replaced, a date passing on the home page).
DEFAULT_SECONDS = 10 * 60
# Besides the session's (a visitor who may be logged in), cookies whose presence changes what a
# page shows: messages are rendered once. The language cookie is part of the key instead.
BYPASS_COOKIES = ("messages",)


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _timeout() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_SECONDS)


def _allowed_params() -> frozenset[str]:
    return frozenset(getattr(settings, "PAGE_CACHE_QUERY_PARAMS", DEFAULT_QUERY_PARAMS))


def page_cache_purge() -> None:
    """Stop serving every cached page (now, and again once the open transaction commits)."""
    _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    # A request rendering between the first bump and the commit may read the old rows and store
    # them under the new generation: the second bump retires that entry too.
    transaction.on_commit(
        lambda: _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None), robust=True
    )


def _request_key(request) -> str | None:
    """The cache key for an anonymous GET of a public page, or None when it must not be cached."""
    if request.method != "GET":
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or any(name in cookies for name in BYPASS_COOKIES):
        return None
    params = request.GET
    if any(name not in _allowed_params() for name in params):
        return None
    query = "&".join(f"{name}={value}" for name in sorted(params) for value in params.getlist(name))
    raw = "\n".join(
        (request.scheme, request.get_host(), request.path, query, translation.get_language() or "")
    )
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _storable(request, response) -> bool:
    """Whether the response is one public page every anonymous visitor may be given."""
    match = request.resolver_match
    if match is None or match.url_name != "wagtail_serve" or getattr(request, "is_preview", False):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    vary = {value.strip().lower() for value in cc_delim_re.split(response.get("Vary", ""))}
    # A Vary: Cookie here means something below this middleware made the page depend on
    # cookies. (The session middleware's own Vary: Cookie is added later and does not matter:
    # only requests without a session cookie are served from the cache.)
    return not ({"*", "cookie"} & vary)


def _hit_response(entry) -> HttpResponse:
    _, status, content, headers = entry
    response = HttpResponse(content, status=status, headers=headers)
    response["X-Cache"] = "HIT"
    return response


class AnonymousPageCacheMiddleware:
    """Serves anonymous visitors' Wagtail pages from the cache; sets X-Cache: HIT or MISS.

    Placed after the locale middleware (the language is part of the key) and before the CSRF
    middleware (so a cookie that a page sets is seen and the page is not stored).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _request_key(request)
        if key is None:
            return self.get_response(request)

        cache = _cache()
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        entry = found.get(key)
        if generation is not None and entry is not None and entry[0] == generation:
            return _hit_response(entry)

        if generation is None:
            # Cold or evicted: start a generation (add: concurrent workers agree on one).
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            generation = cache.get(GENERATION_KEY)

        response = self.get_response(request)
        if not _storable(request, response):
            return response
        headers = [(name, value) for name, value in response.items()]
        entry = (generation, response.status_code, response.content, headers)
        cache.set(key, entry, _timeout())
        response["X-Cache"] = "MISS"
        return response


def _page_changed(sender, **kwargs) -> None:
    page_cache_purge()


def _maybe_page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page | Site | PageViewRestriction):
        page_cache_purge()


def page_cache_receivers_connect() -> None:
    """Purge on every event that changes what a public URL shows; safe to call more than once."""
    page_published.connect(_page_changed, dispatch_uid="content_page_cache_published")
    page_unpublished.connect(_page_changed, dispatch_uid="content_page_cache_unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="content_page_cache_moved")
    post_save.connect(_page_changed, sender=Site, dispatch_uid="content_page_cache_site")
    # A page made private must stop being served to anonymous visitors at once.
    post_save.connect(
        _page_changed, sender=PageViewRestriction, dispatch_uid="content_page_cache_restricted"
    )
    # Page deletes are sent with the specific page class as sender: filter by instance.
    post_delete.connect(_maybe_page_deleted, dispatch_uid="content_page_cache_deleted")

"""Fixed-window counters in the shared cache (Redis in production): per client address, per
phone number or anything else a public form must not be flooded with."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def client_address(request) -> str:
    """The client's address, for every per-address limit (logins through django-axes too).

    With TRUSTED_PROXY_COUNT = 0 (no proxy) it is REMOTE_ADDR: X-Forwarded-For is whatever the
    client typed. Behind N trusted proxies, each appending the address it received from, the
    client is the N-th entry from the right of X-Forwarded-For; entries further left are the
    client's own words and are never read. A request that did not pass through all N proxies
    falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def limit_passed(key: str, *, limit: int, seconds: int) -> bool:
    """Count one hit on `key` in the current window of `seconds`; True once past `limit` hits.

    add + incr are atomic in Redis and locmem, so concurrent requests (several gunicorn
    processes) cannot all read the same count and slip past the limit together. The key is
    hashed: cache keys then hold no e-mail address or phone number, and no character a cache
    backend refuses.
    """
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    # Windows are cut on local wall-clock time, so a day's window starts at local midnight.
    now = timezone.localtime()
    local_seconds = now.timestamp() + now.utcoffset().total_seconds()
    window_key = f"limit:{digest}:{int(local_seconds // seconds)}"
    cache.add(window_key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(window_key)
    except ValueError:  # expired between add and incr
        cache.set(window_key, 1, timeout=seconds + 1)
        count = 1
    return count > limit

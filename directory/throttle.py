"""Fixed-window counters in the shared cache (Redis in production): per client address, per
phone number or anything else a public form must not be flooded with."""

import hashlib

from django.core.cache import cache
from django.utils import timezone


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it
    # (a proxy in front must pass the real address as REMOTE_ADDR). django-ipware is not
    # installed, so django-axes' lockout reads REMOTE_ADDR too: one address for both.
    return request.META.get("REMOTE_ADDR", "")


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

"""How often one client address (or one e-mail address, one phone…) may do something.

Fixed-window counters in the shared cache (CACHES["default"]: files or Redis), so every web
process counts together; `cache.add` + `cache.incr` make a count atomic without a lock.
"""

import hashlib
import time

from django.core.cache import cache


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it
    # (a proxy in front must pass the real address as REMOTE_ADDR, e.g. gunicorn's forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "")


def throttle_hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one use of `scope` by `key` in the current window; False once past `limit`.

    The key is hashed: cache keys then hold no e-mail address or phone number and no character
    a cache backend refuses.
    """
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"throttle:{scope}:{digest}:{int(time.time() // window)}"
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        count = 1
    return count <= limit

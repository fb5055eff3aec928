"""The shared cache on Redis: Django's own backend, with one client object per connection pool.

Django's Redis cache builds a new `redis.Redis` for every operation, and that constructor fills a
table of some 170 response callbacks: about 0.2 ms, as long as the GET it then sends over
loopback. A `redis.Redis` holds no connection of its own (it borrows one from the pool for each
command) and is safe to share between threads, so one per pool serves every operation. Every
logged-in request reads its session from this cache, and the player's heartbeat comes every 15 s
per learner.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

DJANGO_BACKEND = "django.core.cache.backends.redis.RedisCache"
BACKEND = "config.cache.RedisCache"


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient


def cache_config(config: dict) -> dict:
    """A cache setting from django-environ, with Django's Redis backend replaced by this one."""
    if config.get("BACKEND") == DJANGO_BACKEND:
        config["BACKEND"] = BACKEND
    return config

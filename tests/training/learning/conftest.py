import pytest
import redis


@pytest.fixture
def redis_sessions(settings):
    """Sessions and the cache on Redis, as in production (the heartbeat's Redis path,
    training.learning.services.beats, is on): a database of that Redis server of their own,
    emptied before and after. Skipped unless the suite runs with Redis (CELERY_BROKER_URL)."""
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis"):
        pytest.skip("needs Redis: CELERY_BROKER_URL=redis://… (CI's PostgreSQL + Redis pass)")
    location = broker.rsplit("/", 1)[0] + "/4"
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.RedisCache", "LOCATION": location},
    }
    client = redis.Redis.from_url(location)
    client.flushdb()
    yield client
    client.flushdb()

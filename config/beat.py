"""Celery beat that schedules only while it holds the one beat lock.

Two beats started by mistake (a second host, a restart that overlapped the old process) would
each send every periodic task: reminders mailed twice, sweeps run twice. Each beat here ticks
only while it holds a lock shared by every host; the others wait, touching neither the broker nor
the schedule tables, and one of them takes over when the holder stops.

- Redis broker: a Redis lock (redis-py's `Lock`, a random token with an expiry) on the broker's
  database. The holder renews it at every tick (at least every `max_interval`, 5 s); a holder that
  crashed or hung stops renewing and its lock expires after `BEAT_LOCK_SECONDS`.
- Any other broker (the filesystem transport of `make run`, one machine): an exclusive `flock` on
  a file beside the broker's folders, released by the system when its process ends, however.

A beat that takes over reads the schedule afresh from the database (the last holder wrote each
run there as it sent it: CELERY_BEAT_SYNC_EVERY = 1), so what was sent is not sent again.
"""

import contextlib
import fcntl
import os
from pathlib import Path

from celery.utils.log import get_logger
from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler
from redis import Redis
from redis.exceptions import LockError, RedisError

# Under Celery's logger, so beat's --loglevel decides (`make run` starts it at WARNING).
logger = get_logger(__name__)

LOCK_NAME = "xujing:celery-beat"


class RedisBeatLock:
    """The lock in Redis: held while renewed, expires `seconds` after its last renewal."""

    def __init__(self, url: str, seconds: float):
        self.lock = Redis.from_url(url).lock(LOCK_NAME, timeout=seconds, thread_local=False)
        self.held = False

    def hold(self) -> bool:
        """Take the lock, or renew it if held; False when another beat holds it."""
        try:
            if self.held:
                self.lock.reacquire()
            else:
                self.held = self.lock.acquire(blocking=False)
        except LockError:  # expired and taken by another beat meanwhile
            self.held = False
        except RedisError:
            logger.exception("Beat lock: Redis did not answer; not scheduling meanwhile")
            self.held = False
        return self.held

    def release(self) -> None:
        if self.held:
            # Expired already, or Redis is gone: it expires by itself.
            with contextlib.suppress(LockError, RedisError):
                self.lock.release()
            self.held = False


class FileBeatLock:
    """An exclusive flock on a file: one beat per machine (the filesystem broker's case)."""

    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def hold(self) -> bool:
        if self.fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor releases the flock
            self.fd = None


def beat_lock(broker_url: str | None = None) -> RedisBeatLock | FileBeatLock:
    """The lock for the configured broker."""
    url = broker_url or settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisBeatLock(url, settings.BEAT_LOCK_SECONDS)
    return FileBeatLock(Path(settings.CELERY_FILESYSTEM_DIR) / "beat.lock")


class SingleBeatScheduler(DatabaseScheduler):
    """django-celery-beat's DatabaseScheduler, ticking only while this beat holds the lock."""

    def __init__(self, *args, **kwargs):
        self.lock = beat_lock()
        self.leading = False
        super().__init__(*args, **kwargs)

    def setup_schedule(self):
        # Deferred to the first tick with the lock: a waiting beat writes nothing, not even the
        # schedule of the settings into the database.
        if self.leading:
            super().setup_schedule()

    def tick(self, *args, **kwargs):
        if not self.lock.hold():
            if self.leading:
                logger.warning("Beat lock lost to another beat: this beat stops scheduling")
                self.leading = False
            return min(self.max_interval, settings.BEAT_LOCK_RETRY_SECONDS)
        if not self.leading:
            logger.info("Beat lock taken: this beat schedules the periodic tasks")
            self.leading = True
            # What the last holder sent is in the database: read the schedule afresh.
            self._initial_read = True
            self._schedule = None
            self._heap = None
            self._dirty.clear()
            self.setup_schedule()
        return super().tick(*args, **kwargs)

    def sync(self):
        if self.leading:
            super().sync()

    def close(self):
        try:
            super().close()
        finally:
            self.lock.release()
            self.leading = False

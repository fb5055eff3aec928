"""One beat schedules at a time (config.beat): two real beats, the real broker and database.

Two `celery beat` processes are started on the test database and the configured broker. A one-off
task due in a few seconds is sent once, not once per beat; the beat holding the lock is killed
(kill -9, no chance to release it), and after its lock expired the other one sends the next task,
once, and does not send the first again.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, PeriodicTask
from kombu import Exchange, Queue

from config.beat import FileBeatLock, RedisBeatLock, beat_lock
from config.celery import app

ROOT = Path(__file__).resolve().parents[1]
LOCK_SECONDS = 4
TIMEOUT = 60

redis_only = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis"),
    reason="the lock of several hosts lives in Redis (CI's PostgreSQL + Redis pass runs this)",
)


def test_a_second_file_lock_waits_until_the_first_is_released(tmp_path):
    first, second = FileBeatLock(tmp_path / "beat.lock"), FileBeatLock(tmp_path / "beat.lock")
    assert first.hold()
    assert first.hold()  # renewing what it holds
    assert not second.hold()
    first.release()
    assert second.hold()
    second.release()


def test_the_broker_chooses_the_lock():
    assert isinstance(beat_lock("redis://127.0.0.1:6379/0"), RedisBeatLock)
    assert isinstance(beat_lock("filesystem://localhost/"), FileBeatLock)


@redis_only
def test_a_redis_lock_is_held_by_one_and_expires_when_not_renewed():
    url = settings.CELERY_BROKER_URL
    first, second = RedisBeatLock(url, 1), RedisBeatLock(url, 1)
    first.lock.name = second.lock.name = f"test-beat-lock-{uuid.uuid4().hex}"
    try:
        assert first.hold()
        assert not second.hold()
        assert first.hold()  # renewed
        time.sleep(1.3)  # the holder "crashed": no renewal, the lock expires
        assert second.hold()
        assert not first.hold()  # the old holder finds it lost
    finally:
        first.release()
        second.release()


@pytest.fixture
def shared_database(transactional_db):
    """The beat subprocesses read the test's rows: PostgreSQL (SQLite's test database is not
    shared with other processes)."""
    if connection.vendor == "sqlite":
        pytest.skip("beat subprocesses cannot share the SQLite test database")
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def private_queue():
    """The queue the test's periodic tasks are sent to, declared first so Redis keeps what is
    sent to it, deleted afterwards."""
    name = f"test-beat-{uuid.uuid4().hex}"
    with app.connection_for_write() as conn:
        Queue(name, Exchange(name), routing_key=name)(conn.default_channel).declare()
    yield name
    with app.connection_for_write() as conn:
        queue = Queue(name, Exchange(name), routing_key=name)(conn.default_channel)
        queue.declare()
        queue.delete()


def _sent(queue: str) -> int:
    with app.connection_for_read() as conn:
        bound = Queue(queue, Exchange(queue), routing_key=queue)(conn.default_channel)
        return bound.queue_declare().message_count


def _one_off(name: str, queue: str, seconds: float) -> PeriodicTask:
    clocked = ClockedSchedule.objects.create(
        clocked_time=timezone.now() + datetime.timedelta(seconds=seconds)
    )
    return PeriodicTask.objects.create(
        name=name, task="tests.beat.not_a_task", clocked=clocked, one_off=True, queue=queue
    )


def _wait(condition, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"no {what} within {timeout} s")


@pytest.mark.slow
@redis_only
def test_two_beats_send_each_task_once_and_the_survivor_takes_over(
    shared_database, private_queue, tmp_path
):
    # Both beats must start after the lock of an earlier run expired.
    RedisBeatLock(settings.CELERY_BROKER_URL, 1).lock.redis.delete("xujing:celery-beat")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.beat_settings",
        "DATABASE_URL": shared_database,
        "BEAT_LOCK_SECONDS": str(LOCK_SECONDS),
        "BEAT_LOCK_RETRY_SECONDS": "0.5",
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
    }
    beats, logs = [], []
    for n in range(2):
        log = tmp_path / f"beat{n}.log"
        logs.append(log)
        beats.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "beat",
                    "--max-interval=1",
                    "--loglevel=INFO",
                ],
                cwd=tmp_path,
                env=env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
        )
    try:
        # Both beats running (and, without the lock, both would have read the schedule) before
        # the task is added: each would then wake at its time and send it.
        _wait(lambda: all("beat: Starting" in log.read_text() for log in logs), "beats started")
        time.sleep(2)
        _one_off("first", private_queue, seconds=3)
        _wait(lambda: _sent(private_queue) >= 1, "first task sent")
        time.sleep(3)  # a second beat, had it scheduled too, would have sent it by now
        assert _sent(private_queue) == 1
        leaders = [n for n, log in enumerate(logs) if "Beat lock taken" in log.read_text()]
        assert len(leaders) == 1, [log.read_text()[-2000:] for log in logs]
        leader = leaders[0]
        standby = 1 - leader
        assert all(beat.poll() is None for beat in beats)

        beats[leader].send_signal(signal.SIGKILL)
        beats[leader].wait(timeout=10)
        _one_off("second", private_queue, seconds=LOCK_SECONDS + 2)
        _wait(lambda: _sent(private_queue) >= 2, "second task sent by the other beat")
        time.sleep(3)
        assert _sent(private_queue) == 2  # the first task was not sent again
        assert "Beat lock taken" in logs[standby].read_text()
    finally:
        for beat in beats:
            if beat.poll() is None:
                beat.send_signal(signal.SIGTERM)
                try:
                    beat.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    beat.kill()
                    beat.wait()

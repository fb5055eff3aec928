"""A real task through a real worker and the configured broker (filesystem by default, Redis in CI).

The suite otherwise runs tasks eagerly; this test proves that what `make run` and production do —
publish to a broker, consume in a worker, write to the database — works with the settings as they are.
"""

import threading
import time
import uuid

import pytest
from celery import signals
from celery.contrib.testing.worker import TestWorkController, start_worker
from kombu import Exchange, Queue

from config.celery import app
from directory.models import Village

START_TIMEOUT = 30
TASK_TIMEOUT = 30


@app.task(name="tests.test_celery_worker.village_create")
def village_create(name: str) -> None:
    """Writes a row, so the test can see the worker really ran it."""
    Village.objects.create(name=name, kind="community")


class BoundedWorkController(TestWorkController):
    """The test worker, but a worker that cannot start fails the test instead of hanging it."""

    __test__ = False

    def ensure_started(self):
        if not self._on_started.wait(timeout=START_TIMEOUT):
            raise RuntimeError(f"the Celery worker did not start within {START_TIMEOUT} s")


@pytest.fixture
def not_eager():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture
def private_queue():
    """A queue of its own, so a worker of `make run` on the same broker cannot take the message;
    deleted afterwards (on Redis each queue leaves binding keys behind otherwise)."""
    name = f"test-worker-{uuid.uuid4().hex}"
    yield name
    with app.connection_for_write() as conn:
        queue = Queue(name, Exchange(name), routing_key=name)(conn.default_channel)
        # Declared on this channel first: kombu deletes only the bindings the channel knows.
        queue.declare()
        queue.delete()


@pytest.fixture
def finished_tasks():
    """The state each task the worker finished ended in, by task id.

    The test waits on this instead of polling the database: on SQLite the test database is a
    shared in-memory one, where a read racing the worker's write fails with "table is locked".
    """
    outcomes: dict[str, str] = {}

    def on_postrun(task_id=None, state=None, **kwargs):
        outcomes[task_id] = state

    signals.task_postrun.connect(on_postrun, weak=False)
    try:
        yield outcomes
    finally:
        signals.task_postrun.disconnect(on_postrun)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_a_queued_task_against_the_database(not_eager, private_queue, finished_tasks):
    name = f"worker-test-{uuid.uuid4().hex[:8]}"
    threads_before = set(threading.enumerate())

    with start_worker(
        app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        queues=[private_queue],
        shutdown_timeout=TASK_TIMEOUT,
        WorkController=BoundedWorkController,
    ):
        task_id = village_create.apply_async(args=[name], queue=private_queue).id
        deadline = time.monotonic() + TASK_TIMEOUT
        while task_id not in finished_tasks and time.monotonic() < deadline:
            time.sleep(0.05)

    broker = app.conf.broker_url
    assert task_id in finished_tasks, (
        f"the worker did not run the task in {TASK_TIMEOUT} s ({broker})"
    )
    assert finished_tasks[task_id] == "SUCCESS"
    assert Village.objects.get(name=name).kind == "community"
    # start_worker joins the worker thread on exit (RuntimeError if it outlives the timeout).
    assert not any(t.is_alive() for t in set(threading.enumerate()) - threads_before if t.daemon)

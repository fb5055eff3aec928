"""A Celery worker killed (kill -9) in the middle of a job; another worker finishes it.

Real worker subprocesses (tests/faults/probe_worker.py) on the configured broker and database:
the batch print of issued certificates and the registry's reminder sweep must end as if nothing
happened — every certificate in the result once and no stored part rendered again, every
reminder sent once. This relies on acks_late + task_reject_on_worker_lost (settings) and on the
tasks resuming instead of redoing (certificates.services.issued_batches / registry_reminders).

Redis only: kombu's filesystem transport removes a message from the queue folder as the worker
takes it, so a task whose worker is killed is gone and nothing could redeliver it
(/work/shared/reference/tooling.md). CI's second pass (PostgreSQL + Redis) runs these.
"""

import datetime
import io
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection
from kombu import Exchange, Queue
from pypdf import PdfReader

from certificates.models import CertificateBatch, IssuedCertificate
from certificates.services import issued_batches
from certificates.services.issued import certificate_issue
from certificates.tasks import certificate_batch_run_task, registry_daily_run_task
from config.celery import app
from directory.constants import AccountRole
from directory.files import private_storage
from directory.models import Notification
from tests.factories import PersonFactory, UserFactory
from tests.factories.certificates import special_certificate

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 90  # seconds for any one step; a hung worker fails the test instead of hanging it
PART_SIZE = 3

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis"),
        reason="a killed worker's task is redelivered by Redis only: kombu's filesystem "
        "transport deletes a message as it is taken (CI's PostgreSQL + Redis pass runs this)",
    ),
]


@pytest.fixture
def shared_database(transactional_db):
    """The worker subprocess must see the test's rows: not SQLite's in-memory test database."""
    if connection.vendor == "sqlite":
        pytest.skip("a worker subprocess cannot open the in-memory SQLite test database")
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def private_queue():
    name = f"test-fault-{uuid.uuid4().hex}"
    yield name
    with app.connection_for_write() as conn:
        queue = Queue(name, Exchange(name), routing_key=name)(conn.default_channel)
        queue.declare()
        queue.delete()


class Workers:
    """Probe workers started one after another on the same queue and probe log."""

    def __init__(self, queue: str, log: Path, database_url: str):
        self.queue, self.log, self.database_url = queue, log, database_url
        self.processes: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": self.database_url,
            "FAULT_PART_SIZE": str(PART_SIZE),
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.probe_worker", self.queue, str(self.log)],
            cwd=ROOT,
            env=env,
        )
        self.processes.append(process)
        self.wait_for(lambda events: any(e["pid"] == process.pid for e in events), "ready")
        return process

    def events(self) -> list[dict]:
        if not self.log.exists():
            return []
        lines = self.log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.endswith("}")]

    def wait_for(self, condition, what: str) -> list[dict]:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            events = self.events()
            if condition(events):
                return events
            if any(p.poll() not in (None, -signal.SIGKILL) for p in self.processes):
                raise AssertionError(f"a worker exited while waiting for {what}")
            time.sleep(0.05)
        raise AssertionError(f"no {what} within {TIMEOUT} s: {self.events()[-5:]}")

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=TIMEOUT) == -signal.SIGKILL

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()


@pytest.fixture
def workers(shared_database, private_queue, tmp_path):
    """The tests publish to the broker (the suite otherwise runs tasks eagerly, in-process)."""
    previous, app.conf.task_always_eager = app.conf.task_always_eager, False
    pool = Workers(private_queue, tmp_path / "probe.jsonl", shared_database)
    try:
        yield pool
    finally:
        app.conf.task_always_eager = previous
        pool.stop_all()


def _of(events, pid, kind):
    return [e for e in events if e["pid"] == pid and e["event"] == kind]


@pytest.mark.django_db(transaction=True)
def test_a_batch_print_survives_its_worker_being_killed(workers, town):
    officer = UserFactory(username="town-fault", role=AccountRole.TOWN_OFFICE)
    people = [PersonFactory(name=f"持证人{i}", employer=town["ent_a"]) for i in range(10)]
    for person in people:
        certificate_issue(holder=person, title="安全生产培训", kind="officer", hours=8)
    numbers = set(IssuedCertificate.objects.values_list("number", flat=True))
    batch = CertificateBatch.objects.create(created_by=officer, format="pdf", total=len(numbers))
    for position, pk in enumerate(IssuedCertificate.objects.order_by("pk").values_list("pk")):
        batch.items.create(certificate_id=pk[0], position=position)

    first = workers.start()
    certificate_batch_run_task.apply_async(args=[batch.pk], queue=workers.queue)
    # Killed once it has stored a part and is rendering the next one.
    events = workers.wait_for(
        lambda ev: _of(ev, first.pid, "part") and len(_of(ev, first.pid, "render")) > PART_SIZE,
        "a stored part",
    )
    workers.kill(first)
    batch.refresh_from_db()
    assert batch.status == "running" and batch.done < batch.total

    second = workers.start()
    events = workers.wait_for(
        lambda ev: CertificateBatch.objects.get(pk=batch.pk).status == "done", "the batch done"
    )
    stored_first = {e["index"] for e in _of(events, first.pid, "part")}
    stored_second = {e["index"] for e in _of(events, second.pid, "part")}
    parts = (len(numbers) + PART_SIZE - 1) // PART_SIZE
    # Every part stored once: what the killed worker stored was not rendered again…
    assert stored_first and not stored_first & stored_second
    assert stored_first | stored_second == set(range(parts))
    rendered_first = [e["number"] for e in _of(events, first.pid, "render")]
    rendered_second = Counter(e["number"] for e in _of(events, second.pid, "render"))
    stored_numbers = set(rendered_first[: len(stored_first) * PART_SIZE])
    assert not stored_numbers & set(rendered_second)
    assert max(rendered_second.values()) == 1
    # …and the PDF holds each certificate exactly once, the parts cleaned up.
    batch.refresh_from_db()
    with batch.file.open("rb") as handle:
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages]
    assert len(pages) == len(numbers)
    assert Counter(n for text in pages for n in numbers if n in text) == Counter(numbers)
    assert not private_storage().exists(issued_batches._part_name(batch, 0))


@pytest.mark.django_db(transaction=True)
def test_the_reminder_sweep_survives_its_worker_being_killed(workers, town):
    """Eight cards due for review within 30 days: holder and manager told once each."""
    # A transactional test before this one may have flushed the migration's catalogue.
    import_module("certificates.migrations.0002_registry_catalogue").seed(django_apps, None)
    manager = UserFactory(
        username="manager-fault", role=AccountRole.ENTERPRISE_MANAGER, enterprise=town["ent_a"]
    )
    for i in range(8):
        account = UserFactory(username=f"holder-fault-{i}", role=AccountRole.LEARNER)
        person = PersonFactory(name=f"电工{i}", employer=town["ent_a"], account=account)
        special_certificate(person, first_issued_on=datetime.date(2024, 3, 5))
    day = "2027-02-03"  # the 30-day stage of a review due 2027-03-05

    first = workers.start()
    registry_daily_run_task.apply_async(args=[day], queue=workers.queue)
    workers.wait_for(lambda ev: _of(ev, first.pid, "sent"), "a chunk of reminders sent")
    workers.kill(first)
    sent_before = Notification.objects.count()
    assert 0 < sent_before < 16

    second = workers.start()
    events = workers.wait_for(
        lambda ev: Notification.objects.count() == 16 and len(_of(ev, second.pid, "sent")) == 4,
        "the sweep finished by the second worker",
    )
    assert Notification.objects.filter(recipient=manager).count() == 8
    pairs = list(Notification.objects.values_list("recipient_id", "key"))
    assert len(pairs) == len(set(pairs)) == 16
    # The second run sent only what the first had not: nothing twice, emails queued once.
    created = [e["created"] for e in events if e["event"] == "sent"]
    assert sum(created) == 16
    assert sum(e["created"] for e in _of(events, second.pid, "sent")) == 16 - sent_before


def test_redis_redelivers_no_sooner_than_the_longest_task():
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert timeout > settings.CELERY_TASK_TIME_LIMIT

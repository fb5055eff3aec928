"""A real Celery worker (solo pool) with a probe, started as a subprocess by the fault tests.

`python -m tests.faults.probe_worker <queue> <probe-log>`: consumes only <queue>, and appends one
JSON line to <probe-log> for each step the tests watch — the worker ready, a certificate
rendered, a part of a print batch stored, a chunk of reminders sent — sleeping FAULT_PROBE_DELAY
seconds after each so that a kill -9 lands in the middle of the job. Everything else is the
application's own code and settings (the broker of CELERY_BROKER_URL, the database of
DATABASE_URL); the Redis visibility timeout is shortened so a lost task comes back in seconds.
"""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from celery import signals  # noqa: E402

from certificates.services import issued_batches, registry_reminders  # noqa: E402
from config.celery import app  # noqa: E402

QUEUE, LOG = sys.argv[1], sys.argv[2]
DELAY = float(os.environ.get("FAULT_PROBE_DELAY", "0.3"))
VISIBILITY_TIMEOUT = int(os.environ.get("FAULT_VISIBILITY_TIMEOUT", "3"))


def record(event: str, **values) -> None:
    with open(LOG, "a") as log:
        log.write(json.dumps({"pid": os.getpid(), "event": event, **values}) + "\n")
        log.flush()
        os.fsync(log.fileno())


_content = issued_batches.certificate_content
_store = issued_batches._part_store
_send = registry_reminders.notifications_send


def content(certificate, **options):
    record("render", number=certificate.number)
    time.sleep(DELAY)
    return _content(certificate, **options)


def store(batch, index, data):
    _store(batch, index, data)
    record("part", index=index)


def send(*, drafts):
    created = _send(drafts=drafts)
    record("sent", created=created, drafts=len(drafts))
    time.sleep(DELAY)
    return created


issued_batches.PART_SIZE = int(os.environ.get("FAULT_PART_SIZE", "3"))
issued_batches.certificate_content = content
issued_batches._part_store = store
registry_reminders.CHUNK_SIZE = int(os.environ.get("FAULT_CHUNK_SIZE", "2"))
registry_reminders.notifications_send = send


@signals.worker_ready.connect(weak=False)
def on_ready(**kwargs):
    record("ready")


app.conf.task_always_eager = False
# What the tasks queue themselves (the notification emails) stays on the private queue too.
app.conf.task_default_queue = QUEUE
app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "visibility_timeout": VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

if __name__ == "__main__":
    app.worker_main(
        [
            "worker",
            "--queues",
            QUEUE,
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
            "--hostname",
            f"probe-{os.getpid()}@%h",
        ]
    )

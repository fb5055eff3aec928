"""Two tabs of one exam on the embedded default: SQLite, one file, several connections at once.

gunicorn (two worker processes, four threads each) serves the app with the `make run` settings
on a real SQLite file: the test's in-memory database, with the learner, the exam and the open
attempt in it, is copied to that file (SQLite's backup API), so no migrate is needed. Then
answers and submits arrive at the same moment from many threads, as from two tabs and a
double-click. Every one must be answered (no 5xx, no "database is locked"), the attempt graded
once and its study hours booked once.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.urls import reverse

from directory.constants import AccountRole
from tests.factories import PersonFactory, UserFactory
from tests.factories.exams import (
    ExamFactory,
    PaperFactory,
    QuestionBankFactory,
    right_answers_shown,
)
from training.exams.services.attempts import attempt_start
from training.models import Attempt, StudyHourEntry

ROOT = Path(__file__).resolve().parents[2]
CSRF = "c" * 32
QUESTIONS = 10

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_file(transactional_db, tmp_path):
    """The test database, once the rows are made, as a SQLite file the server opens."""
    if connection.vendor != "sqlite":
        pytest.skip("the embedded default is SQLite; PostgreSQL has row locks of its own")

    def copy() -> Path:
        path = tmp_path / "db.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
        return path

    return copy


def _serve(path: Path, tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",  # what `make run` serves
        SECRET_KEY=settings.SECRET_KEY,  # the session below is signed with it
        DATABASE_URL=f"sqlite:///{path}",
        CELERY_FILESYSTEM_DIR=str(tmp_path / "celery"),
        CACHE_URL="locmemcache://",
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        LOG_LEVEL="WARNING",
    )
    port = _free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(  # noqa: S603 - our own app, fixed arguments
        [gunicorn, "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{port}"]
        + ["--log-level", "warning", "config.wsgi:application"],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 40
    while True:
        try:
            # Any answer: both workers have loaded the app (healthz also asks the broker).
            requests.get(base + "/healthz", timeout=30)
            requests.get(base + "/healthz", timeout=30)
            break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("gunicorn did not start")
        time.sleep(0.2)
    return process, base


def _browser(user) -> requests.Session:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "directory.backends.RoleBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    browser = requests.Session()
    browser.cookies.set("sessionid", session.session_key)
    browser.cookies.set("csrftoken", CSRF)
    browser.headers.update({"X-CSRFToken": CSRF, "Referer": "http://127.0.0.1/"})
    return browser


def _all_at_once(calls) -> list:
    """Run the calls in threads released together; each call's response or exception."""
    gate = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        gate.wait()
        try:
            results[index] = call()
        except requests.RequestException as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_saves_and_submits_wait_for_each_other(database_file, tmp_path):
    exam = ExamFactory(
        paper=PaperFactory(bank=QuestionBankFactory(single=QUESTIONS), score="10"),
        review="after_submit",
        ledger_hours=Decimal("2"),
    )
    user = UserFactory(username="examinee", role=AccountRole.LEARNER)
    person = PersonFactory(name="考生", account=user)
    attempt = attempt_start(exam=exam, person=person)
    right = right_answers_shown(attempt)
    tabs = [_browser(user), _browser(user)]  # two tabs: two sessions of one learner
    path = database_file()

    process, base = _serve(path, tmp_path)
    try:
        answer_url = base + reverse("exams:answer", args=[attempt.pk])
        submit_url = base + reverse("exams:submit", args=[attempt.pk])

        def answer(position):
            tab = tabs[position % 2]
            return lambda: tab.post(
                answer_url, json={"position": position, "choice": right[position]}, timeout=60
            )

        def submit(tab):
            return lambda: tab.post(submit_url, allow_redirects=False, timeout=60)

        # Ten answers at once from both tabs: each one saved.
        saves = _all_at_once([answer(position) for position in range(QUESTIONS)])
        statuses = [r if isinstance(r, Exception) else r.status_code for r in saves]
        assert statuses == [200] * QUESTIONS, statuses
        assert all(r.json()["saved"] for r in saves)

        # Both tabs submit (a double-click each) while answers are still arriving.
        late = _all_at_once(
            [submit(tabs[0]), submit(tabs[1]), submit(tabs[0]), submit(tabs[1])]
            + [answer(position) for position in range(4)]
        )
        statuses = [r if isinstance(r, Exception) else r.status_code for r in late]
        assert not any(isinstance(r, Exception) for r in late), statuses
        assert all(code < 500 for code in statuses), statuses
        assert statuses[:4] == [302] * 4, statuses
        # An answer that came after the grading is refused as "closed", never lost silently.
        assert set(statuses[4:]) <= {200, 409}, statuses
    finally:
        process.terminate()
        process.wait(timeout=30)

    # What the server wrote, read from its file.
    with sqlite3.connect(path) as db:
        rows = db.execute(
            f"SELECT status, score, passed, ledger_entry_id FROM {Attempt._meta.db_table} "  # noqa: S608
            "WHERE person_id = ?",
            [person.pk],
        ).fetchall()
        ledger = db.execute(
            f"SELECT hours FROM {StudyHourEntry._meta.db_table} WHERE person_id = ?",  # noqa: S608
            [person.pk],
        ).fetchall()
    db.close()
    [(status, score, passed, ledger_entry_id)] = rows  # one attempt, graded once
    assert status == "submitted"
    assert Decimal(str(score)) == 100 and passed
    assert len(ledger) == 1 and Decimal(str(ledger[0][0])) == 2  # one ledger line
    assert ledger_entry_id is not None

"""The database restarted while learners are in an exam (PostgreSQL).

gunicorn serves the app with the production settings (persistent connections, CONN_MAX_AGE);
three learners start an exam and autosave answers through the real views; then every backend
connection of the test database is terminated (`pg_terminate_backend`: what a restart of the
server looks like to the app, without touching the system service). The answers the server
acknowledged are still there and the very next requests succeed, with the same gunicorn
processes: the connection health check (CONN_HEALTH_CHECKS) replaces the dead connections.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, connections
from django.urls import reverse

from directory.constants import AccountRole
from tests.factories import PersonFactory, UserFactory
from tests.factories.exams import (
    ExamFactory,
    PaperFactory,
    QuestionBankFactory,
    right_answers_shown,
)
from training.models import Attempt

ROOT = Path(__file__).resolve().parents[2]
CSRF = "c" * 32
LEARNERS = 3
QUESTIONS = 6

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("a database restart is a PostgreSQL fault (SQLite has no server to lose)")
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return {
        "url": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "name": db["NAME"],
        "dsn": {
            "host": db["HOST"] or "127.0.0.1",
            "port": db["PORT"] or 5432,
            "user": db["USER"],
            "password": db["PASSWORD"] or None,
            "dbname": "postgres",
        },
    }


@pytest.fixture
def server(postgres, tmp_path):
    """gunicorn, one sync worker (so the next request surely meets the cut connection),
    production settings, on the test database."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.faults.production_settings",
        SECRET_KEY=settings.SECRET_KEY,  # the sessions below are signed with it
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=postgres["url"],
        CELERY_BROKER_URL="filesystem://",
        CELERY_FILESYSTEM_DIR=str(tmp_path / "celery"),
        CACHE_URL="locmemcache://",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    port = _free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(  # noqa: S603 - our own app, fixed arguments
        [gunicorn, "--workers", "1", "--bind", f"127.0.0.1:{port}", "config.wsgi:application"]
        + ["--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _learner(index: int) -> requests.Session:
    """A learner's browser: a session cookie of a logged-in account, the CSRF cookie."""
    user = UserFactory(username=f"examinee{index}", role=AccountRole.LEARNER)
    PersonFactory(name=f"考生{index}", account=user)
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


def _answer(base: str, browser: requests.Session, attempt: int, position: int, choice: str):
    return browser.post(
        base + reverse("exams:answer", args=[attempt]),
        json={"position": position, "choice": choice},
        timeout=30,
    )


def _terminate_backends(postgres) -> int:
    with psycopg.connect(**postgres["dsn"], autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [postgres["name"]],
        ).fetchall()
    return sum(1 for (terminated,) in rows if terminated)


def test_acknowledged_answers_survive_and_the_app_recovers_by_itself(postgres, server):
    exam = ExamFactory(
        paper=PaperFactory(bank=QuestionBankFactory(single=QUESTIONS), score="10"),
        review="after_submit",
    )
    browsers = [_learner(i) for i in range(LEARNERS)]
    attempts = []
    for browser in browsers:
        start = browser.post(
            server + reverse("exams:start", args=[exam.pk]), allow_redirects=True, timeout=30
        )
        assert start.status_code == 200 and "单选题0" in start.text
        attempts.append(int(start.url.rstrip("/").split("/")[-1]))
    rights = [right_answers_shown(Attempt.objects.get(pk=pk)) for pk in attempts]

    # Half the paper answered (right) and acknowledged by the server.
    for browser, attempt, right in zip(browsers, attempts, rights, strict=True):
        for position in range(QUESTIONS // 2):
            reply = _answer(server, browser, attempt, position, right[position])
            assert reply.status_code == 200 and reply.json()["saved"]

    # The database goes away under the app: every connection to it is cut.
    assert _terminate_backends(postgres) >= 2  # the gunicorn worker's and the test's own
    connections.close_all()  # the test's own connection was cut too

    # The very next requests, on the same gunicorn worker, succeed: nothing to restart.
    for browser, attempt, right in zip(browsers, attempts, rights, strict=True):
        for position in range(QUESTIONS // 2, QUESTIONS):
            reply = _answer(server, browser, attempt, position, right[position])
            assert reply.status_code == 200, reply.text[:300]
        page = browser.get(server + reverse("exams:attempt", args=[attempt]), timeout=30)
        assert page.status_code == 200
        result = browser.post(
            server + reverse("exams:submit", args=[attempt]), allow_redirects=True, timeout=30
        )
        assert result.status_code == 200 and "60" in result.text

    for attempt in attempts:
        saved = Attempt.objects.get(pk=attempt)
        assert saved.status != "started"
        assert len(saved.answers) == QUESTIONS
        assert saved.score == 60

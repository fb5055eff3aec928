"""Two web hosts behind one load balancer: every request may land on either, and nothing breaks.

Two gunicorn instances (config.settings.production through tests/faults/production_settings.py,
which only drops collectstatic's manifest) on two free ports share what a deployment of several
hosts shares: a PostgreSQL database the test makes for itself, Redis as cache and broker,
one media and one private-media folder, and the secret key. A real Celery worker takes the jobs.
Each visitor is a browser behind the load balancer (X-Forwarded-Proto, X-Forwarded-For, the
public host name) whose requests go to host A and host B in turn: a learner's session and
study clock, a QR sign-in, the public contest and its rankings, an import's preview and confirm,
a batch print's progress and download, and a login lockout whose failures are spread over both
hosts. Anything kept in one process's memory or on one host's disk would fail one of them.
"""

import datetime
import io
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection, connections
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.urls import reverse
from django.utils import timezone
from kombu import Exchange, Queue
from psycopg import sql
from pypdf import PdfReader
from wagtail.models import Page

from certificates.models import CertificateBatch
from certificates.services.issued import certificate_issue
from config.celery import app
from directory.constants import AccountRole
from directory.models import ImportJob, Person, User
from tests.directory.importing_helpers import PEOPLE_HEADERS, write_xlsx
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    IndustryFactory,
    PersonFactory,
    UserFactory,
    VillageFactory,
    id_number_make,
)
from tests.factories.content import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    VideoFactory,
    home_site_make,
    migration_data_restore,
)
from tests.factories.exams import (
    DrawnPaperFactory,
    ExamFactory,
    QuestionBankFactory,
    right_answers_shown,
)
from tests.factories.sessions import TrainingSessionFactory
from training.models import Attempt, Attendance, LessonProgress

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_HOST = "safety.test"
ORIGIN = f"https://{PUBLIC_HOST}"
PASSWORD = "Hosts-2026-password"  # noqa: S105
# Seconds for a server to start or a job to finish (two cores shared with other processes start
# a gunicorn in 5–40 s); a hang fails the test instead of stopping the suite.
TIMEOUT = 120
A, B = 0, 1
R = AccountRole

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
        or not settings.CELERY_BROKER_URL.startswith("redis"),
        reason="several hosts share a database server and Redis: needs DATABASE_URL=postgres://… "
        "and CELERY_BROKER_URL=redis://… (CI's PostgreSQL + Redis pass runs this)",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait(condition, what: str):
    deadline = time.monotonic() + TIMEOUT
    while not (found := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {TIMEOUT} s")
        time.sleep(0.3)
    return found


class Stack:
    """Host A, host B and a worker, started together (`wait_until_up` before the first request)
    and stopped together."""

    def __init__(self, tmp: Path):
        self.queue = f"test-hosts-{uuid.uuid4().hex}"
        self.env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
        self.env.update(
            DJANGO_SETTINGS_MODULE="tests.faults.production_settings",
            PYTHONPATH=str(ROOT),
            SECRET_KEY=secrets.token_urlsafe(50),  # one secret for every host, as deployed
            ALLOWED_HOSTS=PUBLIC_HOST,
            DATABASE_URL=_database_url(),
            CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
            # Redis as the cache, keys of this run only (the broker's Redis database is shared).
            CACHE_URL=f"{settings.CELERY_BROKER_URL}?key_prefix={self.queue}",
            MEDIA_ROOT=str(tmp / "media"),
            PRIVATE_MEDIA_ROOT=str(tmp / "private"),
            VAR_DIR=str(tmp / "var"),
            TRUSTED_PROXY_COUNT="1",  # the load balancer appends the client's address
            IMPORT_ASYNC_THRESHOLD="1",  # every import's check and write through the worker
            TEST_CELERY_QUEUE=self.queue,
            LOG_LEVEL="WARNING",
        )
        (tmp / "var" / "static").mkdir(parents=True)  # STATIC_ROOT, for WhiteNoise
        self.processes: list[subprocess.Popen] = []
        self.urls: list[str] = []

    def _start(self, *command: str, **options) -> subprocess.Popen:
        process = subprocess.Popen(command, env=self.env, cwd=ROOT, **options)  # noqa: S603
        self.processes.append(process)
        return process

    def __enter__(self) -> "Stack":
        bin_dir = Path(sys.executable).parent
        self._start(
            str(bin_dir / "celery"),
            *("-A", "config", "worker", "-Q", self.queue, "--pool=solo", "--loglevel=WARNING"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            stdout=subprocess.DEVNULL,  # the banner; errors are logged to stderr
        )
        servers = []
        for _host in (A, B):
            port = _free_port()
            servers.append(
                self._start(
                    str(bin_dir / "gunicorn"),
                    *("--workers", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"),
                    "config.wsgi:application",
                )
            )
            self.urls.append(f"http://127.0.0.1:{port}")
        self.servers = servers
        return self

    def wait_until_up(self) -> None:
        for server, url in zip(self.servers, self.urls, strict=True):
            _wait(lambda s=server, u=url: self._healthy(s, u), f"gunicorn at {url} answering")

    def _healthy(self, server: subprocess.Popen, url: str) -> bool:
        if server.poll() is not None:
            pytest.fail(f"gunicorn at {url} stopped while starting")
        try:  # /healthz: plain HTTP is let through, as the balancer's probe uses it
            answer = requests.get(url + "/healthz", headers={"Host": PUBLIC_HOST}, timeout=20)
        except requests.RequestException:  # not listening yet, or still loading the app
            return False
        return answer.status_code == 200

    def __exit__(self, *exc) -> None:
        # Every job has finished: the worker's cold shutdown (QUIT) takes a moment where its
        # warm one (TERM) waits about 15 s on the broker; gunicorn's TERM is quick when idle.
        self.processes[0].send_signal(signal.SIGQUIT)
        for process in self.processes[1:]:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        with app.connection_for_write() as conn:
            queue = Queue(self.queue, Exchange(self.queue), routing_key=self.queue)
            bound = queue(conn.default_channel)
            bound.declare()  # kombu deletes only the bindings the channel knows
            bound.delete()


class Browser:
    """One visitor's browser behind the load balancer; each request goes to the host named.

    It keeps the site's cookies itself: they are Secure (the balancer terminates HTTPS) and
    travel on the plain-HTTP hop to a host, which this client plays, under the public name
    whichever host's address it is sent to.
    """

    def __init__(self, stack: Stack, address: str):
        self.urls = stack.urls
        self.cookies: dict[str, str] = {}
        self.http = requests.Session()
        # What the balancer sends every host: the public name, the scheme, the client's address.
        self.http.headers.update(
            {
                "Host": PUBLIC_HOST,
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": address,
                "Origin": ORIGIN,
                "Referer": ORIGIN + "/",
            }
        )

    def _send(self, method: str, host: int, path: str, **options) -> requests.Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        response = self.http.request(
            method,
            self.urls[host] + path,
            headers=headers,
            allow_redirects=False,
            timeout=30,
            **options,
        )
        self.http.cookies.clear()
        for line in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0":  # deleted (a logout)
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, host: int, path: str, **options) -> requests.Response:
        return self._send("GET", host, path, **options)

    def post(self, host: int, path: str, **options) -> requests.Response:
        return self._send("POST", host, path, **options)

    def log_in(self, host: int, username: str, *, password: str = PASSWORD, next_url: str = ""):
        login = reverse("login")
        if "csrftoken" not in self.cookies:
            assert self.get(host, login).status_code == 200
        data = {"username": username, "password": password}
        if next_url:
            data["next"] = next_url
        return self.post(host, login, data=data)


def _path(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _server(database: dict) -> dict:
    return {
        "host": database["HOST"] or "127.0.0.1",
        "port": database["PORT"] or 5432,
        "user": database["USER"],
        "password": database["PASSWORD"] or None,
        "dbname": "postgres",
    }


def _database_copy(server: dict, name: str, template: str) -> None:
    """CREATE DATABASE … TEMPLATE (about a second); PostgreSQL refuses while another session is
    connected to the template (autovacuum, a server of an earlier test still stopping): retried."""
    statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
        sql.Identifier(name), sql.Identifier(template)
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(**server, autocommit=True) as admin:
                admin.execute(statement)
            return
        except psycopg.errors.ObjectInUse:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.fixture
def own_database(django_db_setup, django_db_blocker):
    """A database of the test's own for the hosts, the worker and this process: a copy of the
    migrated test database, dropped afterwards (the test database is neither written nor
    flushed, which would take longer than the copy)."""
    database = connection.settings_dict
    with django_db_blocker.unblock():
        test_name = (database.get("TEST") or {}).get("NAME")
        if database["NAME"] != test_name and not database["NAME"].startswith(TEST_DATABASE_PREFIX):
            # Run alone: no other test asked pytest-django for the test database, so it is made
            # (or, with --reuse-db, found) here as pytest-django would.
            connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True)
        template, server = database["NAME"], _server(database)
        name = f"{template}_hosts_{uuid.uuid4().hex[:8]}"
        connections.close_all()
        _database_copy(server, name, template)
        database["NAME"] = name
        try:
            yield name
        finally:
            connections.close_all()
            database["NAME"] = template
            with psycopg.connect(**server, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


@pytest.fixture
def stack(own_database, tmp_path):
    with Stack(tmp_path / "hosts") as running:
        yield running


@pytest.fixture
def town(own_database, stack) -> dict:
    """The units and people the flows need, with an account per role that acts; written while
    the hosts start."""
    if not Page.objects.filter(depth=1).exists():
        migration_data_restore()  # an earlier committing test's flush emptied them
    department = DepartmentFactory(name="经发办")
    village = VillageFactory(name="徐泾村")
    enterprise = EnterpriseFactory(
        name="甲机械有限公司",
        village=village,
        industry=IndustryFactory(name="机械制造"),
        lead_department=department,
    )
    learner = UserFactory(username="learner", role=R.LEARNER)
    UserFactory(username="dept", role=R.DEPARTMENT_OFFICER, department=department)
    UserFactory(username="town", role=R.TOWN_OFFICE)
    UserFactory(username="manager", role=R.ENTERPRISE_MANAGER, enterprise=enterprise)
    # Every account's password as production hashes it (the suite's own hasher is MD5).
    hasher = PBKDF2PasswordHasher()
    User.objects.update(password=hasher.encode(PASSWORD, hasher.salt(), iterations=1000))
    return {
        "dept_a": department,
        "village_a": village,
        "ent_a": enterprise,
        "person_a": PersonFactory(name="张三", employer=enterprise, account=learner),
    }


def _learner_session_and_study_clock(stack, town):
    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=home_site_make()))
    lesson = LessonPageFactory(
        parent=course, video=VideoFactory(duration=40 * 60), study_hours=Decimal("0.8")
    )
    learner = Browser(stack, "198.51.100.10")
    assert learner.log_in(A, "learner").status_code == 302
    page = learner.get(B, _path(lesson.url))
    assert page.status_code == 200 and "data-lesson-player" in page.text

    heartbeat = reverse("learning:heartbeat")
    report = {"lesson": lesson.pk, "position": 5, "watched": 0, "session": "tab", "seq": 1}
    first_sent = time.monotonic()
    first = learner.post(B, heartbeat, json=report)
    assert first.status_code == 200 and first.json()["credited_now"] == 0
    first_answered = time.monotonic()
    time.sleep(2)
    # The next reports are credited in the shared Redis (training.learning.services.beats):
    # the time elapsed since B's report, on A, however far apart the two hosts' processes.
    second_sent = time.monotonic()
    second = learner.post(A, heartbeat, json={**report, "watched": 15, "seq": 2, "position": 20})
    second_answered = time.monotonic()
    assert second.status_code == 200, second.text[:300]
    credited = second.json()["credited_now"]
    # Each host reads its clock while it handles the report: between sending and the answer.
    assert second_sent - first_answered - 0.1 <= credited <= second_answered - first_sent + 0.1
    # The same report again, on the other host: applied once.
    again = learner.post(B, heartbeat, json={**report, "watched": 15, "seq": 2, "position": 20})
    assert again.status_code == 200 and again.json()["credited_now"] == 0
    # The lesson page, on either host, resumes where the player stopped (written back for it).
    assert 'data-position="20.0"' in learner.get(A, _path(lesson.url)).text
    progress = LessonProgress.objects.get(person=town["person_a"], lesson=lesson)
    assert progress.position_seconds == 20 and progress.credited_seconds == pytest.approx(
        credited, abs=0.1
    )

    # Logging out on B ends the session on A too, even for a copy of the old cookie.
    my_page = reverse("directory:my_page")
    assert learner.get(A, my_page).status_code == 200
    copied = dict(learner.cookies)
    assert learner.post(B, reverse("logout")).status_code == 302
    assert "sessionid" not in learner.cookies
    learner.cookies = copied
    mine = learner.get(A, my_page)
    assert mine.status_code == 302 and reverse("login") in mine.headers["Location"]
    # ... and its reports are no longer credited, on either host.
    for host, seq in ((A, 3), (B, 4)):
        late = learner.post(host, heartbeat, json={**report, "watched": 15, "seq": seq})
        assert late.status_code == 403 and "登录" in late.json()["error"]


def _qr_sign_in(stack, town):
    start = timezone.now() - datetime.timedelta(minutes=5)
    session = TrainingSessionFactory(
        organiser_department=town["dept_a"],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        invitees=[town["person_a"]],
    )
    organiser = Browser(stack, "198.51.100.20")
    assert organiser.log_in(A, "dept").status_code == 302
    feed = organiser.get(A, reverse("session_qr_json", args=[session.pk]))
    assert feed.status_code == 200
    scan = _path(feed.json()["url"])
    assert scan.startswith("/sessions/scan/")

    # The learner's phone scans before logging in: B remembers the scan, A logs in, B signs in.
    phone = Browser(stack, "198.51.100.21")
    to_login = phone.get(B, scan)
    assert to_login.status_code == 302 and reverse("login") in to_login.headers["Location"]
    logged_in = phone.log_in(A, "learner", next_url=scan)
    assert logged_in.status_code == 302 and _path(logged_in.headers["Location"]) == scan
    signed = phone.get(B, scan)
    assert signed.status_code == 200 and "签到成功" in signed.text
    assert "已签到" in phone.get(A, scan).text
    row = Attendance.objects.get(session=session, person=town["person_a"])
    assert row.method == "qr"


def _contest(stack, town):
    bank = QuestionBankFactory(single=12, true_false=4)
    contest = ExamFactory(
        paper=DrawnPaperFactory(bank=bank, rules=[("single", 6, "10"), ("true_false", 4, "10")]),
        title="安全生产月知识竞赛",
        kind="contest",
        daily_quota=2,
        closes_at=timezone.now() + datetime.timedelta(days=30),
    )
    page = reverse("exams:contest", args=[contest.pk])
    visitor = Browser(stack, "198.51.100.30")
    # Both hosts show (and cache) the rankings before anyone has finished.
    for host in (A, B):
        shown = visitor.get(host, page)
        assert shown.status_code == 200 and "知识竞赛" in shown.text and "赵*" not in shown.text

    joined = visitor.post(
        A, page, data={"name": "赵六", "phone": "138 1234 5678", "village": town["village_a"].pk}
    )
    assert joined.status_code == 302, joined.text[:300]
    attempt = Attempt.objects.get(participant__phone="13812345678")
    assert visitor.get(B, _path(joined.headers["Location"])).status_code == 200
    answer = reverse("exams:answer", args=[attempt.pk])
    for position, choice in enumerate(right_answers_shown(attempt)):
        saved = visitor.post(position % 2, answer, json={"position": position, "choice": choice})
        assert saved.status_code == 200 and saved.json()["saved"]
    assert visitor.post(B, reverse("exams:submit", args=[attempt.pk])).status_code == 302
    result = visitor.get(A, reverse("exams:result", args=[attempt.pk]))
    assert "100.0 / 100.0" in result.text

    # The rankings each host cached were dropped for every host; a stranger sees the masked name.
    stranger = Browser(stack, "198.51.100.31")
    for host in (A, B):
        assert "赵*" in stranger.get(host, page).text
    assert stranger.get(B, reverse("exams:attempt", args=[attempt.pk])).status_code == 404


def _import_preview_and_confirm(stack, town, tmp_path):
    rows = [
        [f"员工{i}", id_number_make(700 + i), "", town["ent_a"].credit_code, "", "", "", ""]
        for i in range(3)
    ]
    upload = write_xlsx(tmp_path / "people.xlsx", PEOPLE_HEADERS, rows)
    manager = Browser(stack, "198.51.100.40")
    assert manager.log_in(B, "manager").status_code == 302
    before = Person.objects.count()
    with upload.open("rb") as handle:
        sent = manager.post(
            A,
            reverse("directory_imports:index"),
            data={"kind": "people"},
            files={"file": ("people.xlsx", handle.read())},
        )
    assert sent.status_code == 302, sent.text[:300]
    job = ImportJob.objects.get()
    # The check runs in the worker, which reads the upload from the shared private storage.
    _wait(lambda: ImportJob.objects.get(pk=job.pk).status == "checked", "the import's check")
    preview = manager.get(B, reverse("directory_imports:job", args=[job.pk]))
    confirm = reverse("directory_imports:confirm", args=[job.pk])
    assert preview.status_code == 200 and "2–4" in preview.text and confirm in preview.text
    assert Person.objects.count() == before

    assert manager.post(B, confirm).status_code == 302
    _wait(lambda: ImportJob.objects.get(pk=job.pk).status == "done", "the confirmed import")
    assert Person.objects.count() == before + 3
    assert manager.get(A, reverse("directory_imports:job", args=[job.pk])).status_code == 200
    # Confirming again, on the other host, writes nothing more.
    manager.post(A, confirm)
    assert Person.objects.count() == before + 3


def _batch_print(stack, town):
    for index in range(3):
        certificate_issue(
            holder=PersonFactory(name=f"打印{index}", employer=town["ent_a"]),
            title="重大事故隐患判定标准培训",
            kind="officer",
            hours=8,
            issued_on=datetime.date(2026, 3, 20),
        )
    office = Browser(stack, "198.51.100.50")
    assert office.log_in(A, "town").status_code == 302
    requested = office.post(A, reverse("issued_certificates:print"), data={"format": "pdf"})
    assert requested.status_code == 302, requested.text[:300]
    batch = CertificateBatch.objects.get()
    assert office.get(B, _path(requested.headers["Location"])).status_code == 200

    progress = reverse("issued_certificates:batch_progress", args=[batch.pk])

    def done():
        state = office.get(B, progress).json()
        assert state["status"] not in ("failed", "interrupted"), state
        return state if state["status"] == "done" else None

    state = _wait(done, "the batch print")
    assert (state["done"], state["total"]) == (3, 3)
    download = office.get(B, reverse("issued_certificates:batch_download", args=[batch.pk]))
    assert download.status_code == 200, download.text[:300]
    pages = PdfReader(io.BytesIO(download.content)).pages
    assert len(pages) == 3 and "打印" in "".join(page.extract_text() for page in pages)


def _login_lockout(stack):
    guesser = Browser(stack, "203.0.113.66")
    login = reverse("login")
    for attempt in range(settings.LOGIN_PAIR_FAILURE_LIMIT - 1):
        failed = guesser.log_in(attempt % 2, "learner", password="wrong-password-1")
        assert failed.status_code == 200, attempt
    locked = guesser.log_in(B, "learner", password="wrong-password-1")
    assert locked.status_code == 429
    # Locked on both hosts, even with the right password.
    for host in (A, B):
        assert guesser.log_in(host, "learner").status_code == 429
    # The same account from another address still logs in (the pair is locked, not the person).
    colleague = Browser(stack, "198.51.100.60")
    assert colleague.log_in(A, "learner").status_code == 302
    assert guesser.get(A, login + "?" + urlencode({"next": "/"})).status_code == 200


def test_two_hosts_behave_as_one(stack, town, tmp_path):
    """One test, so the servers start once and the database is copied once (seconds each)."""
    stack.wait_until_up()
    _learner_session_and_study_clock(stack, town)  # login on A, study on B, logout on B
    _qr_sign_in(stack, town)  # the code made on A, scanned on B
    _contest(stack, town)  # join on A, answers on A and B, rankings on both
    _import_preview_and_confirm(stack, town, tmp_path)  # upload and preview on A, confirm on B
    _batch_print(stack, town)  # requested on A, progress and download on B
    _login_lockout(stack)  # failures on A and B lock the pair on both

"""Online learning benchmarks: the heartbeat under gunicorn, requirement status at scale.

    .venv/bin/python benchmarks/learning.py                       # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/learning .venv/bin/python benchmarks/learning.py
    .venv/bin/python benchmarks/learning.py --people 20000 --entries 10 --seconds 5
    .venv/bin/python benchmarks/learning.py --skip-serve --skip-requirements --in-process 3000
    .venv/bin/python benchmarks/learning.py --redis redis://127.0.0.1:6379/2   # as in production

1. Heartbeats: gunicorn (2 sync workers, production settings) on the configured database; each
   client thread is a logged-in learner posting JSON heartbeats with a CSRF token, next to a
   bare JSON POST view that passes the same middleware, and the same view reading the login
   (session and account: the floor of any logged-in view). Requests/s of 200 answers.
2. Requirement status (training.learning.selectors.requirements.requirement_status): one enterprise of
   --enterprise-size people, then --people people with --entries ledger rows each, built with
   bulk_create. Seconds and number of queries.

The tables it fills are emptied first: point it at a database of its own. Not part of CI: it
prints figures and asserts nothing.
"""

import argparse
import datetime
import io
import json
import multiprocessing
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from figures import figure  # noqa: E402
from loadlib import BENCH_AREA, CSRF, django_setup, gunicorn_start, login_cookie  # noqa: E402

BATCH = 5000
YEAR = 2026


def empty_tables() -> None:
    from django.db import connection

    from training.models import (
        CourseAssignment,
        Enrolment,
        LessonProgress,
        StudyClock,
        StudyHourEntry,
    )

    for model in (StudyHourEntry, LessonProgress, StudyClock, Enrolment, CourseAssignment):
        model.objects.all()._raw_delete(connection.alias)


def reference_units():
    from directory.constants import RiskClass
    from directory.models import Department, Industry, Village

    village, _ = Village.objects.get_or_create(name="徐泾村")
    department, _ = Department.objects.get_or_create(name="经发办")
    general, _ = Industry.objects.get_or_create(name="机械制造")
    high, _ = Industry.objects.get_or_create(
        name="危险化学品", defaults={"risk_class": RiskClass.HIGH_RISK}
    )
    return village, department, general, high


# --- 1. heartbeats under gunicorn -----------------------------------------------------------


def prepare_heartbeats(learners: int) -> dict:
    """A course with a long lesson, `learners` learner accounts with sessions, all enrolled."""
    from wagtail.models import Page

    from content.models import CourseIndexPage, CoursePage, HomePage, LessonPage, Video
    from directory.constants import AccountRole
    from directory.demo import id_number_make
    from directory.models import Enterprise, Person, User

    village, department, general, _high = reference_units()
    enterprise, _ = Enterprise.objects.get_or_create(
        credit_code="BENCHHEARTBEAT0001",
        defaults={
            "name": "心跳基准企业",
            "village": village,
            "industry": general,
            "lead_department": department,
        },
    )
    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(instance=HomePage(title="首页", slug="bench"))
    index = home.get_children().type(CourseIndexPage).first()
    if index is None:
        index = home.add_child(instance=CourseIndexPage(title="课程中心", slug="courses"))
    course = index.get_children().type(CoursePage).first()
    if course is None:
        course = index.add_child(instance=CoursePage(title="基准课程", slug="bench-course"))
    lesson = LessonPage.objects.child_of(course).first()
    if lesson is None:
        video = Video.objects.create(title="基准视频", file="bench.mp4", duration=4 * 3600)
        lesson = course.add_child(
            instance=LessonPage(title="基准课时", slug="bench-lesson", video=video, study_hours=5)
        )
    cookies = []
    for n in range(learners):
        user, _ = User.objects.get_or_create(
            username=f"bench-learner-{n}", defaults={"role": AccountRole.LEARNER}
        )
        Person.objects.get_or_create(
            id_number=id_number_make(700_000 + n, area=BENCH_AREA),
            defaults={"name": f"学员{n}", "employer": enterprise, "account": user},
        )
        cookies.append(f"{login_cookie(user)}; csrftoken={CSRF}")
    return {"lesson": lesson.pk, "cookies": cookies}


def _post_bytes(path: str, cookie: str, body: bytes) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Cookie: {cookie}\r\nX-CSRFToken: {CSRF}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def _client_process(port, path, lesson, cookies, seconds, results):
    stop = time.monotonic() + seconds
    counts = [0] * len(cookies)
    errors = [0] * len(cookies)

    def loop(index):
        seq = 0
        session = f"bench-{os.getpid()}-{index}"
        while time.monotonic() < stop:
            seq += 1
            body = json.dumps(
                {"lesson": lesson, "position": seq, "watched": 1, "session": session, "seq": seq}
            ).encode()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
                    sock.sendall(_post_bytes(path, cookies[index], body))
                    first = sock.recv(65536)
                    while sock.recv(65536):
                        pass
                if first.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200")):
                    counts[index] += 1
                else:
                    errors[index] += 1
            except OSError:
                errors[index] += 1

    pool = [threading.Thread(target=loop, args=(i,)) for i in range(len(cookies))]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    results.put((sum(counts), sum(errors)))


def load(port, path, lesson, cookies, seconds) -> tuple[float, int]:
    """Requests/s of 200 answers: two client processes, one thread per learner."""
    halves = [cookies[0::2], cookies[1::2]]
    results = multiprocessing.Queue()
    started = time.monotonic()
    pool = [
        multiprocessing.Process(
            target=_client_process, args=(port, path, lesson, half, seconds, results)
        )
        for half in halves
        if half
    ]
    for process in pool:
        process.start()
    totals = [results.get() for _ in pool]
    for process in pool:
        process.join()
    elapsed = time.monotonic() - started
    return sum(t[0] for t in totals) / elapsed, sum(t[1] for t in totals)


def serve_heartbeats(
    workdir: Path, *, seconds: float, concurrency: int, workers: int, redis: str | None
) -> None:
    prepared = prepare_heartbeats(concurrency)
    server, port = gunicorn_start(workdir, workers=workers, redis=redis)
    try:
        print(
            f"\nheartbeats: {workers} gunicorn sync workers, {concurrency} learners, "
            f"{seconds:g} s each"
        )
        figures = {}
        for label, path in (
            ("bare JSON POST view", "/bare/"),
            ("bare, logged in", "/bare-logged-in/"),
            ("heartbeat", "/learning/heartbeat/"),
        ):
            load(port, path, prepared["lesson"], prepared["cookies"], min(1.0, seconds))
            rate, failures = load(port, path, prepared["lesson"], prepared["cookies"], seconds)
            figures[label] = rate
            share = rate / figures["bare JSON POST view"] if figures["bare JSON POST view"] else 0
            failed = f"   ({failures} failed)" if failures else ""
            print(f"  {label:<22} {rate:8.0f} req/s   {share:6.0%} of bare{failed}", flush=True)
            if label != "bare JSON POST view":
                figure(
                    issue=4,
                    name=f"{label} under gunicorn",
                    size=f"{workers} workers, {concurrency} learners",
                    value=rate,
                    unit="req/s",
                    floor=figures["bare JSON POST view"],
                    floor_name="bare Django view",
                    goal="≥ 50% of bare (PostgreSQL)" if label == "heartbeat" else "",
                )
    finally:
        server.terminate()
        server.wait(timeout=30)


def in_process_heartbeats(*, requests: int, learners: int) -> None:
    """The same three endpoints called through the WSGI application in this process, one at a
    time: the server's own work per request, without gunicorn, sockets or client processes (far
    steadier than the served figures on a shared machine). Connections kept as production does."""
    from django.db import connection

    prepared = prepare_heartbeats(learners)
    connection.settings_dict["CONN_MAX_AGE"] = 60
    import bare_wsgi

    application = bare_wsgi.application
    cookies, lesson = prepared["cookies"], prepared["lesson"]

    def call(path: str, index: int, seq: int) -> str:
        body = json.dumps(
            {
                "lesson": lesson,
                "position": seq,
                "watched": 1,
                "session": f"ip-{os.getpid()}-{index}",
                "seq": seq,
            }
        ).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": cookies[index],
            "HTTP_X_CSRFTOKEN": CSRF,
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        status = []
        result = application(environ, lambda s, headers, exc_info=None: status.append(s))
        b"".join(result)
        result.close()
        return status[0]

    paths = {
        "bare JSON POST view": "/bare/",
        "bare, logged in": "/bare-logged-in/",
        "heartbeat": "/learning/heartbeat/",
    }
    # The three in turn, ROUNDS times, REQUESTS / ROUNDS calls each time: a machine whose speed
    # drifts within a minute (a shared one) slows all three alike, and each figure is the median
    # of its rounds, each share the median of the rounds' shares.
    rounds = 10
    print(
        f"\nheartbeats in process: {requests} requests each, {learners} learners in turn, "
        f"in {rounds} rounds"
    )
    seq = 0
    for path in paths.values():
        for n in range(max(requests // 10, learners)):  # warm: connections, caches, plans
            seq += 1
            call(path, n % learners, seq)
    rates = {label: [] for label in paths}
    failures = dict.fromkeys(paths, 0)
    for _round in range(rounds):
        for label, path in paths.items():
            started = time.perf_counter()
            for n in range(requests // rounds):
                seq += 1
                failures[label] += not call(path, n % learners, seq).startswith("200")
            rates[label].append(requests // rounds / (time.perf_counter() - started))
    bare = rates["bare JSON POST view"]
    for label in paths:
        rate = statistics.median(rates[label])
        share = statistics.median(
            mine / floor for mine, floor in zip(rates[label], bare, strict=True)
        )
        failed = f"   ({failures[label]} failed)" if failures[label] else ""
        print(f"  {label:<22} {rate:8.0f} req/s   {share:6.0%} of bare{failed}", flush=True)
        if label != "bare JSON POST view":
            figure(
                issue=4,
                name=f"{label} in process",
                size=f"{learners} learners",
                value=rate,
                unit="req/s",
                floor=statistics.median(bare),
                floor_name="bare Django view",
                goal="≥ 50% of bare (PostgreSQL)" if label == "heartbeat" else "",
            )


# --- 2. requirement status at scale ---------------------------------------------------------


def build_people(count: int, *, entries: int, enterprises: int) -> float:
    """`count` people in `enterprises` enterprises, `entries` ledger rows each; seconds taken."""
    from directory.models import Enterprise, Person
    from training.models import HourSource, StudyHourEntry

    started = time.perf_counter()
    empty_tables()
    Person.objects.filter(id_number__startswith="BENCHRQ").delete()
    Enterprise.objects.filter(credit_code__startswith="BENCHRQ").delete()
    village, department, general, high = reference_units()
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                name=f"基准企业{n}",
                credit_code=f"BENCHRQ{n:011d}",
                village=village,
                industry=high if n % 10 == 0 else general,
                lead_department=department,
            )
            for n in range(enterprises)
        ],
        batch_size=BATCH,
    )
    ent_ids = list(
        Enterprise.objects.filter(credit_code__startswith="BENCHRQ")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, count, BATCH):
        Person.objects.bulk_create(
            [
                Person(
                    name=f"员工{n}",
                    id_number=f"BENCHRQ{n:011d}",
                    employer_id=ent_ids[n % len(ent_ids)],
                    is_general_worker=True,
                    is_principal=n % 50 == 0,
                    hire_date=datetime.date(YEAR if n % 7 == 0 else 2018, 3, 1),
                )
                for n in range(start, min(start + BATCH, count))
            ]
        )
    person_ids = Person.objects.filter(id_number__startswith="BENCHRQ").values_list("pk", flat=True)
    rows = []
    for n, pk in enumerate(person_ids.iterator(chunk_size=BATCH)):
        for k in range(entries):
            year = YEAR if k % 2 == 0 else YEAR - 1
            rows.append(
                StudyHourEntry(
                    person_id=pk,
                    source=HourSource.IMPORTED,
                    hours=Decimal(1 + (n + k) % 4),
                    date=datetime.date(year, 1 + k % 12, 1 + k % 28),
                    training_name=f"培训{k}",
                )
            )
        if len(rows) >= BATCH:
            StudyHourEntry.objects.bulk_create(rows)
            rows = []
    StudyHourEntry.objects.bulk_create(rows)
    return time.perf_counter() - started


def measure(people) -> tuple[float, int, int, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from training.learning.selectors.requirements import requirement_status

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        statuses = requirement_status(people=people, year=YEAR, today=datetime.date(YEAR, 11, 1))
        seconds = time.perf_counter() - started
    tally: dict[str, int] = {}
    for status in statuses:
        tally[status.status] = tally.get(status.status, 0) + 1
    return seconds, len(queries), len(statuses), tally


def requirement_figures(*, enterprise_size: int, people: int, entries: int) -> None:
    from directory.models import Enterprise, Person
    from training.models import StudyHourEntry

    print(f"\nrequirement status, year {YEAR}")
    print(
        f"  {'case':<34} {'people':>8} {'ledger':>9} {'seconds':>8} {'queries':>8} {'setup s':>8}"
    )
    for label, count, enterprises in (
        (f"one enterprise of {enterprise_size}", enterprise_size, 1),
        (f"{people} people, {entries} rows each", people, max(1, people // 20)),
    ):
        setup = build_people(count, entries=entries, enterprises=enterprises)
        ledger = StudyHourEntry.objects.count()
        if enterprises == 1:
            enterprise = Enterprise.objects.get(credit_code__startswith="BENCHRQ")
            scope = Person.objects.filter(employer=enterprise)
        else:
            scope = Person.objects.filter(id_number__startswith="BENCHRQ")
        seconds, queries, rows, tally = measure(scope)
        print(
            f"  {label:<34} {rows:>8} {ledger:>9} {seconds:>8.2f} {queries:>8} {setup:>8.1f}   {tally}",
            flush=True,
        )
        size = f"{rows:,} people, {ledger:,} ledger rows"
        figure(issue=4, name=f"requirement status, {label}", size=size, value=seconds, unit="s")
        figure(
            issue=4,
            name=f"requirement status, {label}: queries",
            size=size,
            value=queries,
            unit="queries",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--enterprise-size", type=int, default=2_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=10)
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument(
        "--in-process",
        type=int,
        default=0,
        metavar="REQUESTS",
        help="also call the heartbeat and the bare views REQUESTS times each in this process",
    )
    parser.add_argument("--skip-requirements", action="store_true")
    parser.add_argument(
        "--redis",
        default="",
        help="redis://… as the servers' (and this process's) cache and broker, as in production",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-learning-"))
    (workdir / "celery").mkdir()
    django_setup(workdir, redis=args.redis or None)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    empty_tables()
    if not args.skip_serve:
        serve_heartbeats(
            workdir,
            seconds=args.seconds,
            concurrency=args.concurrency,
            workers=args.workers,
            redis=args.redis or None,
        )
    if args.in_process:
        in_process_heartbeats(requests=args.in_process, learners=args.concurrency)
    if not args.skip_requirements:
        requirement_figures(
            enterprise_size=args.enterprise_size, people=args.people, entries=args.entries
        )


if __name__ == "__main__":
    main()

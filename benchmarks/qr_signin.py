"""QR sign-in burst: N learners scan the rotating code within a window, under gunicorn.

    .venv/bin/python benchmarks/qr_signin.py                     # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sessions .venv/bin/python benchmarks/qr_signin.py
    .venv/bin/python benchmarks/qr_signin.py --people 300 --seconds 60 --threads 32

gunicorn (production settings, --workers sync workers) serves the project on loopback. Each of
--people logged-in learners (sessions made in the database beforehand) scans the code at a random
moment within --seconds, twice at once (a double tap, or two phones): the token is made afresh
for the current 30-second slot, as the organiser's screen would show it. Prints the number of
requests, errors (not 200), p50 / p95 / max latency, people signed in and duplicates (more than
one "signed in" answer, or row, for a person: goal 0). The session is emptied first: point it at
a database of its own. Not part of CI: it prints figures and asserts nothing.
"""

import argparse
import datetime
import http.client
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from figures import figure  # noqa: E402
from learning import reference_units  # noqa: E402
from loadlib import (  # noqa: E402
    BENCH_AREA,
    django_setup,
    gunicorn_start,
    login_cookie,
    percentile,
    static_collect,
)

TITLE = "扫码签到基准培训班"


def prepare(people: int) -> tuple[int, list[str]]:
    """A session running now inviting `people` learners with accounts; its id and their cookies."""
    from django.utils import timezone

    from directory.constants import AccountRole
    from directory.demo import id_number_make
    from directory.models import Enterprise, Person, User
    from training.models import Attendance, SessionKind, TrainingSession

    village, department, general, _high = reference_units()
    enterprise, _ = Enterprise.objects.get_or_create(
        credit_code="BENCHQRSIGNIN00001",
        defaults={
            "name": "扫码基准企业",
            "village": village,
            "industry": general,
            "lead_department": department,
        },
    )
    organiser, _ = User.objects.get_or_create(
        username="bench-qr-organiser", defaults={"role": AccountRole.TOWN_OFFICE}
    )
    TrainingSession.objects.filter(title=TITLE).delete()
    start = timezone.now() - datetime.timedelta(minutes=5)
    session = TrainingSession.objects.create(
        kind=SessionKind.WORKERS,
        title=TITLE,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        place="镇政府礼堂",
        hours=3,
        created_by=organiser,
    )
    cookies, rows = [], []
    for n in range(people):
        user, _ = User.objects.get_or_create(
            username=f"bench-qr-{n}", defaults={"role": AccountRole.LEARNER}
        )
        person, _ = Person.objects.get_or_create(
            id_number=id_number_make(800_000 + n, area=BENCH_AREA),
            defaults={"name": f"学员{n}", "employer": enterprise, "account": user},
        )
        rows.append(Attendance(session=session, person=person))
        cookies.append(login_cookie(user))
    Attendance.objects.bulk_create(rows)
    return session.pk, cookies


def warm_up(port: int, workers: int) -> None:
    """Let every worker load the project and render the page once before the clock starts."""
    for _ in range(4 * workers):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/sessions/scan/warm-up/")
        connection.getresponse().read()
        connection.close()


def burst(port: int, session_id: int, cookies: list[str], *, seconds: float, threads: int):
    """Every learner scans twice at a random moment in the window; (latencies, outcomes, errors)."""
    from training.models import TrainingSession
    from training.sessions.services.signin import token_make

    session = TrainingSession.objects.get(pk=session_id)
    rng = random.Random(6)
    plan = sorted((rng.uniform(0, seconds), i) for i in range(len(cookies)) for _ in range(2))
    latencies, outcomes, errors = [], [], []
    lock = threading.Lock()
    cursor = iter(plan)
    started = time.monotonic()

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                item = next(cursor, None)
            if item is None:
                break
            at, index = item
            time.sleep(max(0.0, started + at - time.monotonic()))
            path = f"/sessions/scan/{token_make(session=session)}/"
            begun = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Cookie": cookies[index]})
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                with lock:
                    errors.append(repr(error))
                continue
            elapsed = time.perf_counter() - begun
            outcome = "done" if b'data-outcome="done"' in body else "already"
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    errors.append(str(response.status))
                else:
                    outcomes.append((index, outcome))
        connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return latencies, outcomes, errors, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-qr-"))
    (workdir / "celery").mkdir()
    django_setup(workdir)
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from training.models import Attendance

    call_command("migrate", verbosity=0)
    session_id, cookies = prepare(args.people)
    # Production settings serve static files by their hashed names (a manifest): the scan page's
    # stylesheet needs them collected first, as a deployment does.
    static_collect(workdir)
    server, port = gunicorn_start(workdir, workers=args.workers, wsgi="bare_wsgi:application")
    try:
        warm_up(port, args.workers)
        latencies, outcomes, errors, wall = burst(
            port, session_id, cookies, seconds=args.seconds, threads=args.threads
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    done: dict[int, int] = {}
    for index, outcome in outcomes:
        if outcome == "done":
            done[index] = done.get(index, 0) + 1
    rows = Attendance.objects.filter(session_id=session_id)
    signed_in = rows.filter(signed_in_at__isnull=False).count()
    duplicate_rows = rows.values("person_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    duplicates = sum(n - 1 for n in done.values()) + duplicate_rows
    print(
        f"database: {connection.vendor}; gunicorn {args.workers} sync workers, {args.threads} client threads"
    )
    print(f"  people                {args.people:>8}")
    print(
        f"  requests (2 per head) {len(latencies) + len([e for e in errors if not e.isdigit()]):>8}   in {wall:.1f} s"
    )
    print(f"  errors                {len(errors):>8}   {sorted(set(errors))[:5]}")
    print(f"  latency p50           {percentile(latencies, 0.50) * 1000:>8.0f} ms")
    print(f"  latency p95           {percentile(latencies, 0.95) * 1000:>8.0f} ms")
    print(f"  latency max           {max(latencies, default=0) * 1000:>8.0f} ms")
    print(f"  signed in             {signed_in:>8}")
    print(f"  duplicates            {duplicates:>8}")
    size = f"{args.people} people × 2 scans in {args.seconds:g} s"
    for name, value, unit, goal in (
        ("QR sign-in: errors", len(errors), "errors", "0"),
        ("QR sign-in: p95", percentile(latencies, 0.95) * 1000, "ms", ""),
        ("QR sign-in: duplicates", duplicates, "duplicates", "0"),
    ):
        figure(issue=6, name=name, size=size, value=value, unit=unit, goal=goal)


if __name__ == "__main__":
    main()

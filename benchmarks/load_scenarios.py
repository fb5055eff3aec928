"""Load scenarios through benchmarks/loadlib.py, against gunicorn + the
configured database + Redis + a Celery worker: the contest spike, a town-wide QR sign-in,
learners' heartbeats and the town office's dashboard.

    .venv/bin/python benchmarks/load_scenarios.py                       # SQLite, all, small sizes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_contest \\
        .venv/bin/python benchmarks/load_scenarios.py --redis redis://127.0.0.1:6379/2
    .venv/bin/python benchmarks/load_scenarios.py --scenario qr --users 500 --spread 30

--users simulated users per scenario (default: each scenario's small size), started at random
moments within --spread seconds:
  contest    public participants join, answer 20 questions (a JSON autosave each) and submit
  qr         people of one town-wide session scan its rotating QR code, twice each (double tap)
  heartbeat  logged-in learners post the player's JSON heartbeats (--requests each)
  dashboard  town-office users open the coverage dashboard (--requests each)
Each prints requests/s, p50 / p95 / p99 / max latency and errors, then the bare Django view with
the same driver and concurrency, and the load average (the machine may be shared). The tables
each scenario fills are emptied first: point it at a database of its own. Not part of CI:
prints figures, asserts nothing.
"""

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from loadlib import (  # noqa: E402
    CSRF,
    Stack,
    bare_rate,
    django_setup,
    drive,
    figures_record,
    login_cookie,
    report,
    think,
)

SIZES = {"contest": 40, "qr": 100, "heartbeat": 40, "dashboard": 8}


def contest_users(args) -> tuple[list, tuple]:
    from contest_load import KINDS, contest_prepare, contest_user

    prepared = contest_prepare()
    return [contest_user(prepared, n, pause=args.think) for n in range(args.users)], KINDS


def qr_users(args) -> tuple[list, tuple]:
    from qr_signin import prepare

    from training.models import TrainingSession
    from training.sessions.services.signin import token_make

    session_id, cookies = prepare(args.users)
    session = TrainingSession.objects.get(pk=session_id)

    def user(cookie):
        def script(client, rng):
            for _tap in range(2):
                path = f"/sessions/scan/{token_make(session=session)}/"
                client.request("scan", "GET", path)

        script.cookie = cookie
        return script

    return [user(cookie) for cookie in cookies], ("scan",)


def heartbeat_users(args) -> tuple[list, tuple]:
    from learning import empty_tables, prepare_heartbeats

    empty_tables()
    prepared = prepare_heartbeats(args.users)

    def user(n, cookie):
        def script(client, rng):
            # The body lesson_player.js sends every LEARNING_HEARTBEAT_SECONDS.
            for seq in range(1, args.requests + 1):
                think(args.think, rng)
                body = {
                    "lesson": prepared["lesson"],
                    "position": seq * 15,
                    "watched": 15,
                    "session": f"load-{n}",
                    "seq": seq,
                }
                client.request("heartbeat", "POST", "/learning/heartbeat/", data=body)

        script.cookie = cookie
        return script

    return [user(n, cookie) for n, cookie in enumerate(prepared["cookies"])], ("heartbeat",)


def dashboard_users(args) -> tuple[list, tuple]:
    from django.urls import reverse
    from learning import reference_units

    from directory.constants import AccountRole
    from directory.models import Department, Enterprise, User

    village, department, general, high = reference_units()
    Enterprise.objects.filter(credit_code__startswith="BENCHLOADDASH").delete()
    Enterprise.objects.bulk_create(
        Enterprise(
            name=f"看板基准企业{n}",
            credit_code=f"BENCHLOADDASH{n:05d}",
            village=village,
            industry=high if n % 10 == 0 else general,
            lead_department=department,
        )
        for n in range(args.enterprises)
    )
    office, _ = Department.objects.get_or_create(name="镇安委办")
    town, _ = User.objects.get_or_create(
        username="bench-load-town",
        defaults={"role": AccountRole.TOWN_OFFICE, "department": office},
    )
    cookie = f"{login_cookie(town)}; csrftoken={CSRF}"
    url = reverse("coverage:dashboard")

    def script(client, rng):
        for _ in range(args.requests):
            client.request("dashboard", "GET", url)
            think(args.think, rng)

    script.cookie = cookie
    return [script] * args.users, ("dashboard",)


SCENARIOS = {
    "contest": contest_users,
    "qr": qr_users,
    "heartbeat": heartbeat_users,
    "dashboard": dashboard_users,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--users", type=int, default=0, help="default: the scenario's small size")
    parser.add_argument("--spread", type=float, default=5.0)
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds between actions")
    parser.add_argument("--requests", type=int, default=10, help="heartbeats / dashboard views")
    parser.add_argument("--enterprises", type=int, default=500, help="dashboard scenario")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--redis", default="", help="redis://… as cache and Celery broker")
    parser.add_argument("--no-celery", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    (workdir / "celery").mkdir()
    django_setup(workdir)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    print(
        f"database: {connection.vendor}; cache/broker: {args.redis or 'files'}; gunicorn "
        f"{args.workers} sync workers; Celery worker: {'no' if args.no_celery else 'yes'}"
    )
    with Stack(workdir, workers=args.workers, celery=not args.no_celery, redis=args.redis) as stack:
        for name in names:
            size = args.users or SIZES[name]
            scenario_args = argparse.Namespace(**{**vars(args), "users": size})
            users, kinds = SCENARIOS[name](scenario_args)
            result = drive(stack.port, users, spread=args.spread)
            report(f"\n{name}: {size} users within {args.spread:g} s", result, kinds=kinds)
            bare = bare_rate(stack.port, users=size, requests=max(1, len(result.samples) // size))
            report(f"{name}: bare view, same driver and concurrency", bare, kinds=("bare",))
            figures_record(10, f"load: {name}", f"{size} users, {connection.vendor}", result, bare)


if __name__ == "__main__":
    main()

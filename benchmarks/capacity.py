"""Capacity per scenario: the most simultaneous users each load scenario holds (p95 ≤ 300 ms,
no error), next to the bare Django view at the same concurrency, in the same run.

    .venv/bin/python benchmarks/capacity.py                          # SQLite, every scenario
    .venv/bin/python benchmarks/capacity.py --steps 10 20 50 --scenario contest qr
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_capacity \\
        .venv/bin/python benchmarks/capacity.py --redis redis://127.0.0.1:6379/2

Each scenario of benchmarks/load_scenarios.py (contest, qr, heartbeat, dashboard, homes,
imports, exports, printing; the same user scripts, the same driver) runs at each of --steps
simultaneous users in turn, all started within --spread seconds, its records made afresh for
each step, until its p95 passes --limit-ms or a request fails; after each step the bare view
(benchmarks/bare_wsgi.py) with as many users, requests each, spread and pause. Prints a line per
step and a table of the largest step each scenario held, with the machine's load average (the
machine may be shared: figures measured beside other work are pessimistic). Against a database
that already holds data (a `seed_scale` district), the scenarios add their own records beside
it. Not part of CI: prints figures, asserts nothing.
"""

import argparse
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from load_scenarios import SCENARIOS  # noqa: E402
from loadlib import (  # noqa: E402
    LIMIT_MS,
    STEPS,
    Stack,
    capacity,
    capacity_record,
    capacity_table,
    django_setup,
    load_average,
    server_label,
)

# Scenarios whose users do not pause between requests (a double tap): the bare view neither.
NO_PAUSE = {"qr"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", nargs="+", choices=list(SCENARIOS), default=list(SCENARIOS))
    parser.add_argument("--steps", nargs="+", type=int, default=list(STEPS))
    parser.add_argument("--limit-ms", type=float, default=LIMIT_MS, help="p95 a step may reach")
    parser.add_argument("--spread", type=float, default=10.0, help="seconds in which all start")
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds between actions")
    parser.add_argument("--requests", type=int, default=5, help="views / polls per user")
    parser.add_argument("--enterprises", type=int, default=500, help="dashboard, homes, exports")
    parser.add_argument("--rows", type=int, default=20, help="rows per upload (imports)")
    parser.add_argument("--certificates", type=int, default=10, help="per batch (printing)")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument(
        "--threads", type=int, default=1, help="gthread threads per worker (1: sync workers)"
    )
    parser.add_argument("--redis", default="", help="redis://… as cache and Celery broker")
    parser.add_argument("--no-celery", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-capacity-"))
    (workdir / "celery").mkdir()
    django_setup(workdir, redis=args.redis)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(
        f"database: {connection.vendor}; cache/broker: {args.redis or 'files'}; gunicorn "
        f"{server_label(args.workers, args.threads)}; Celery worker: {'no' if args.no_celery else 'yes'}; "
        f"load average {load_average()}"
    )
    summaries, failed = [], []
    with Stack.from_args(workdir, args) as stack:
        for name in args.scenario:

            def users_for(count: int, name=name) -> list:
                scenario_args = argparse.Namespace(**{**vars(args), "users": count})
                return SCENARIOS[name](scenario_args)[0]

            try:
                steps = capacity(
                    stack.port,
                    users_for,
                    steps=args.steps,
                    spread=args.spread,
                    pause=0.0 if name in NO_PAUSE else args.think,
                    limit_ms=args.limit_ms,
                    title=f"\n{name}",
                    warm=args.workers,
                )
            except Exception:  # noqa: BLE001 - one scenario failing leaves the others' figures
                traceback.print_exc()
                failed.append(name)
                continue
            size = f"{server_label(args.workers, args.threads)}, {connection.vendor}, within {args.spread:g} s"
            summaries.append(capacity_record(name, steps, size, limit_ms=args.limit_ms))
    print(f"\nCapacity (load average {load_average()}):")
    print(capacity_table(summaries))
    if failed:
        sys.exit(f"failed (see above): {', '.join(failed)}")


if __name__ == "__main__":
    main()

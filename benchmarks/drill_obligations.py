"""Drill obligation status benchmark: time and query count over N enterprises.

    .venv/bin/python benchmarks/drill_obligations.py                  # SQLite in a temporary file
    .venv/bin/python benchmarks/drill_obligations.py --enterprises 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/drill_obligations.py

Enterprises get a mix of flags and industries; one in thirteen keeps an on-site disposal plan
(a drill profile); one in three has a drill record, one in six two, of several kinds (a fire
evacuation, a gas leak without evacuation; the comprehensive or the on-site plan), each meeting
the duties its kind implies. Also measures the drill module's three figures (held a drill,
evacuation duty met, every duty met) per department, village and industry. The query counts
must stay the same whatever N. Not part of CI: it prints figures, asserts nothing.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

from figures import figure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
YEAR = 2026
BATCH = 2000


def django_setup():
    # Base settings: DEBUG off, so Django does not keep every SQL statement in memory.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from directory.retention import retention_lift_for_scratch_database

    retention_lift_for_scratch_database()  # a scratch database, emptied before each run


def prepare(count: int) -> None:
    """Empty the drill and enterprise tables, then bulk-create `count` enterprises and records."""
    from directory.constants import RiskClass
    from directory.demo import credit_code_make
    from directory.models import Department, Enterprise, Industry, Village
    from training.drills.rules import DUTY_FIELDS, duties_implied
    from training.models import DrillProfile, DrillRecord

    DrillRecord.objects.all().delete()
    Enterprise.objects.all().delete()
    village, _ = Village.objects.get_or_create(name="徐泾村")
    department, _ = Department.objects.get_or_create(name="经发办")
    general, _ = Industry.objects.get_or_create(name="机械制造")
    high_risk, _ = Industry.objects.get_or_create(
        name="危险化学品", defaults={"risk_class": RiskClass.HIGH_RISK}
    )
    for start in range(0, count, BATCH):
        Enterprise.objects.bulk_create(
            [
                Enterprise(
                    name=f"基准企业{n}",
                    credit_code=credit_code_make(n),
                    village=village,
                    industry=high_risk if n % 10 == 0 else general,
                    lead_department=department,
                    is_fire_key_unit=n % 7 == 0,
                    is_crowded_place=n % 11 == 0,
                )
                for n in range(start + 1, min(start + BATCH, count) + 1)
            ]
        )
    pks = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    DrillProfile.objects.bulk_create(
        [DrillProfile(enterprise_id=pk, keeps_on_site_plan=True) for pk in pks[::13]],
        batch_size=BATCH,
    )
    records = []
    for n, pk in enumerate(pks):
        days = [] if n % 3 else [datetime.date(YEAR, 3, 1)]
        if n % 6 == 0:
            days.append(datetime.date(YEAR, 9, 1))
        scenario = "gas_leak" if n % 5 == 0 else "fire_evacuation"
        plan_type = "on_site" if n % 2 else "comprehensive"
        # bulk_create skips save(): the duties are set here from the kind, as save() would.
        duties = duties_implied(scenario=scenario, plan_type=plan_type)
        records.extend(
            DrillRecord(
                enterprise_id=pk,
                date=day,
                scenario=scenario,
                plan_type=plan_type,
                **{field: duty in duties for duty, field in DUTY_FIELDS.items()},
                alarm_time=datetime.time(10, 0),
                all_clear_time=datetime.time(10, 6),
                headcount=30,
                evacuated=29,
            )
            for day in days
        )
    DrillRecord.objects.bulk_create(records, batch_size=BATCH)


def measure(function) -> tuple[float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from directory.models import Enterprise

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function(
            enterprises=Enterprise.objects.all(), year=YEAR, today=datetime.date(YEAR, 8, 1)
        )
        seconds = time.perf_counter() - started
    return seconds, len(queries), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, nargs="+", default=[5_000, 100_000])
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-drills-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("CELERY_FILESYSTEM_DIR", str(workdir / "celery"))
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    from training.drills.selectors.coverage import drill_coverage
    from training.drills.selectors.obligations import drill_obligation_status

    print(
        f"{'enterprises':>11} {'rows':>8} {'seconds':>8} {'queries':>8} "
        f"{'cov. s':>8} {'cov. q':>7} {'held':>7} {'evac.':>7} {'all':>7} {'setup s':>8}"
    )
    for count in args.enterprises:
        started = time.perf_counter()
        prepare(count)
        setup = time.perf_counter() - started
        seconds, queries, rows = measure(drill_obligation_status)
        cov_seconds, cov_queries, coverage = measure(drill_coverage)
        met = coverage.town.met
        print(
            f"{count:>11} {len(rows):>8} {seconds:>8.2f} {queries:>8} "
            f"{cov_seconds:>8.2f} {cov_queries:>7} {met['drills_held']:>7} "
            f"{met['drill_coverage']:>7} {met['drill_duties_met']:>7} {setup:>8.1f}"
        )
        size = f"{count:,} enterprises"
        for name, value, unit in (
            ("drill obligation status", seconds, "s"),
            ("drill obligation status: queries", queries, "queries"),
            ("drill coverage", cov_seconds, "s"),
            ("drill coverage: queries", cov_queries, "queries"),
        ):
            figure(issue=8, name=name, size=size, value=value, unit=unit)


if __name__ == "__main__":
    main()

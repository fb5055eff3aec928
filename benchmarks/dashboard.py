"""Coverage dashboard benchmark (issue 9): the town dashboard's time and query count over N
enterprises, next to one raw SQL aggregation of the same numbers in the same run, and the time to
generate the compiled monthly report (PDF + XLSX).

    .venv/bin/python benchmarks/dashboard.py                              # SQLite, temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/dashboard.py
    .venv/bin/python benchmarks/dashboard.py --enterprises 2000 --repeat 1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_city .venv/bin/python benchmarks/dashboard.py --use-existing

`--use-existing` measures the database as it is (e.g. a `seed_scale --scale city` dataset: 100k
enterprises, 1M people, 10M ledger rows) for the current year and month, writing nothing but the
benchmark account, and adds a second floor: the SQL of every metric with a source (drills
hand-written as above; the people metrics' grouped queries as the metrics compile them), executed
directly, with the time of each metric's `items` on its own.

Enterprises are spread over 16 departments, 30 villages and 10 industries with a mix of drill
flags, one in thirteen keeping an on-site disposal plan; about half drilled in the year, at months
spread over the year, some only in one half, in drills of several kinds (each meeting its duties).
The raw SQL counts the three drill figures (held a drill, evacuation duty met, every duty met).
Prints figures, asserts nothing, except that the raw SQL and the dashboard agree.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from figures import figure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
YEAR, MONTH = 2026, 12
TODAY = datetime.date(YEAR, 12, 20)
BATCH = 5000
# (scenario, plan type) of the drills, in turn.
DRILL_KINDS = [
    ("fire_evacuation", "comprehensive"),
    ("fire_evacuation", "comprehensive"),
    ("gas_leak", "on_site"),
    ("fire_evacuation", "special"),
    ("confined_space_rescue", "special"),
]


def django_setup():
    # Base settings: DEBUG off, so Django does not keep every SQL statement in memory.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from directory.retention import retention_lift_for_scratch_database

    retention_lift_for_scratch_database()  # a scratch database, emptied before each run


def prepare(count: int) -> None:
    """Empty the tables the dashboard reads, then bulk-create `count` enterprises and drills."""
    from directory.constants import RiskClass
    from directory.demo import credit_code_make
    from directory.models import Department, Enterprise, Industry, Village
    from reports.models import ExemplaryEnterprise, MonthlyReport, TownMonthlyReport
    from training.drills.rules import DUTY_FIELDS, duties_implied
    from training.models import DrillProfile, DrillRecord

    for model in (DrillRecord, ExemplaryEnterprise, MonthlyReport, TownMonthlyReport):
        model.objects.all().delete()
    Enterprise.objects.all().delete()
    departments = [Department.objects.get_or_create(name=f"部门{n}")[0] for n in range(16)]
    villages = [Village.objects.get_or_create(name=f"村居{n}")[0] for n in range(30)]
    risks = [RiskClass.HIGH_RISK, RiskClass.CONSTRUCTION] + [RiskClass.GENERAL] * 8
    industries = [
        Industry.objects.get_or_create(name=f"行业{n}", defaults={"risk_class": risk})[0]
        for n, risk in enumerate(risks)
    ]
    for start in range(0, count, BATCH):
        Enterprise.objects.bulk_create(
            [
                Enterprise(
                    name=f"基准企业{n}",
                    credit_code=credit_code_make(n),
                    village=villages[n % 30],
                    industry=industries[n % 10],
                    lead_department=departments[n % 16],
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
        if n % 2:
            continue
        days = [datetime.date(YEAR, 1 + n % 6, 1 + n % 28)]
        if n % 4 == 0:
            days.append(datetime.date(YEAR, 7 + n % 6, 1 + n % 28))
        # Most drills are fire evacuations of the comprehensive plan; some a gas leak of the
        # on-site plan or a rescue of a special plan, which meet other duties (bulk_create skips
        # save(): the duties are set here from the kind, as save() would).
        scenario, plan_type = DRILL_KINDS[n % len(DRILL_KINDS)]
        duties = duties_implied(scenario=scenario, plan_type=plan_type)
        records.extend(
            DrillRecord(
                enterprise_id=pk,
                date=day,
                scenario=scenario,
                plan_type=plan_type,
                alarm_time=datetime.time(10, 0),
                all_clear_time=datetime.time(10, 6),
                headcount=30,
                evacuated=29,
                **{field: duty in duties for duty, field in DUTY_FIELDS.items()},
            )
            for day in days
        )
        if len(records) >= BATCH:
            DrillRecord.objects.bulk_create(records)
            records = []
    DrillRecord.objects.bulk_create(records)
    for department in departments[:8]:
        MonthlyReport.objects.create(
            department=department, year=YEAR, month=MONTH, status="submitted", work_done="基准"
        )
    # Fresh planner statistics after the bulk load, as autovacuum would gather in production.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# The three drill figures (reports.metrics.drills) by hand: each duty's covered month (0 when not
# owed, NULL when not met; a half-yearly duty from its first second-half drill, given one in the
# first half), the month a drill of any kind was first held, and the latest duty's month.
RAW_SQL = """
WITH e AS (
    SELECT e.id, e.lead_department_id AS d, e.village_id AS v, e.industry_id AS i,
        COALESCE(p.keeps_on_site_plan, FALSE) AS on_site,
        (e.handles_hazardous_chemicals OR e.is_crowded_place
         OR ind.risk_class IN ('high_risk', 'construction') OR ind.drills_half_yearly) AS plan2,
        e.is_fire_key_unit AS fire2
    FROM directory_enterprise e JOIN directory_industry ind ON ind.id = e.industry_id
    LEFT JOIN training_drillprofile p ON p.enterprise_id = e.id
    WHERE e.status = 'active'
), r AS (
    SELECT enterprise_id,
        MIN({month}) AS held,
        MIN(CASE WHEN meets_evacuation THEN {month} END) AS ev,
        MIN(CASE WHEN meets_plan THEN {month} END) AS pa,
        MIN(CASE WHEN meets_plan AND date <= %(mid)s THEN {month} END) AS p1,
        MIN(CASE WHEN meets_plan AND date > %(mid)s THEN {month} END) AS p2,
        MIN(CASE WHEN meets_on_site AND date <= %(mid)s THEN {month} END) AS o1,
        MIN(CASE WHEN meets_on_site AND date > %(mid)s THEN {month} END) AS o2,
        MIN(CASE WHEN meets_fire THEN {month} END) AS fa,
        MIN(CASE WHEN meets_fire AND date <= %(mid)s THEN {month} END) AS f1,
        MIN(CASE WHEN meets_fire AND date > %(mid)s THEN {month} END) AS f2
    FROM training_drillrecord
    WHERE date >= %(start)s AND date <= %(end)s AND review_status IN ('submitted', 'accepted')
        AND archived_at IS NULL
    GROUP BY enterprise_id
), c AS (
    SELECT e.d, e.v, e.i, r.held, r.ev,
        CASE WHEN e.plan2 THEN CASE WHEN r.p1 IS NOT NULL THEN r.p2 END ELSE r.pa END AS pl,
        CASE WHEN e.on_site THEN CASE WHEN r.o1 IS NOT NULL THEN r.o2 END ELSE 0 END AS os,
        CASE WHEN e.fire2 THEN CASE WHEN r.f1 IS NOT NULL THEN r.f2 END ELSE r.fa END AS fi
    FROM e LEFT JOIN r ON r.enterprise_id = e.id
)
SELECT d, v, i, held, ev,
    CASE WHEN ev IS NULL OR pl IS NULL OR os IS NULL OR fi IS NULL THEN NULL
         ELSE {greatest}(ev, pl, os, fi) END AS all_met,
    COUNT(*)
FROM c
GROUP BY 1, 2, 3, 4, 5, 6
"""
# The raw SQL's columns, in the order of the drill metrics they stand for.
DRILL_CODES = ("drills_held", "drill_coverage", "drill_duties_met")


def people_metric_sql() -> list[tuple[str, str, list]]:
    """(code, SQL, parameters) of the people metrics' grouped queries, compiled once (outside the
    timing) as the metrics issue them: the floor is the database's work without the framework."""
    from django.db.models import Count

    from reports.metrics import Scope, metric_get
    from reports.metrics.learning import items_sql

    queries = [("training_hours", *items_sql(scope=Scope(), year=YEAR))]
    for code in ("special_operator_certified", "manager_assessment"):
        people = metric_get(code).people(scope=Scope(), year=YEAR)
        rows = (
            people.order_by()
            .values_list(
                "employer__lead_department_id",
                "employer__village_id",
                "employer__industry_id",
                "covered",
            )
            .annotate(n=Count("pk"))
        )
        queries.append((code, *rows.query.sql_with_params()))
    return queries


def raw_all(queries) -> dict:
    """The drill figures (raw_numbers) and the people metrics' rows, straight from the cursor."""
    from django.db import connection

    numbers = raw_numbers()
    with connection.cursor() as cursor:
        for code, sql, params in queries:
            cursor.execute(sql, params)
            numbers[code] = cursor.fetchall()
    return numbers


def per_metric(repeat: int) -> list[tuple[str, float, int]]:
    from reports.metrics import Scope
    from reports.metrics.base import metric_list

    result = []
    for metric in metric_list():
        if metric.has_source:
            t, q, _items = timed(lambda m=metric: m.items(scope=Scope(), year=YEAR), repeat)
            result.append((metric.code, t, q))
    return result


def raw_numbers() -> dict:
    """Town, per-unit and per-month figures of the three drill metrics from one SQL query and a
    small loop."""
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    month = (
        "CAST(EXTRACT(MONTH FROM date) AS INTEGER)"
        if postgres
        else "CAST(strftime('%%m', date) AS INTEGER)"
    )
    params = {
        "mid": datetime.date(YEAR, 6, 30),
        "start": datetime.date(YEAR, 1, 1),
        "end": datetime.date(YEAR, 12, 31),
    }
    if connection.vendor == "sqlite":
        params = {k: v.isoformat() for k, v in params.items()}
    sql = RAW_SQL.format(month=month, greatest="GREATEST" if postgres else "MAX")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    numbers = {}
    for code in DRILL_CODES:
        numbers[code] = {"town": [0, 0], "trend": [0] * 13}
        for by in ("department", "village", "industry"):
            numbers[code][by] = {}
    for d, v, i, *covered_months, n in rows:
        for code, covered in zip(DRILL_CODES, covered_months, strict=True):
            figures = numbers[code]
            done = n if covered is not None and covered <= MONTH else 0
            for key, unit in (("town", None), ("department", d), ("village", v), ("industry", i)):
                pair = figures[key] if unit is None else figures[key].setdefault(unit, [0, 0])
                pair[0] += done
                pair[1] += n
            if covered is not None:
                figures["trend"][covered] += n
    return numbers


def dashboard_numbers(figures) -> dict:
    numbers = {}
    for code in DRILL_CODES:
        fig = next(f for f in figures if f.metric.code == code)
        numbers[code] = {
            "town": [fig.measure.numerator, fig.measure.denominator],
            "trend": [0] * 13,
        }
        previous = 0
        for month, measure in fig.trend:
            numbers[code]["trend"][month] = measure.numerator - previous
            previous = measure.numerator
        for by, rows in fig.rankings.items():
            numbers[code][by] = {r.pk: [r.measure.numerator, r.measure.denominator] for r in rows}
    return numbers


def timed(function, repeat: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, result, queries = [], None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), queries, result


def measure(repeat: int, existing: bool = False) -> dict:
    from django.conf import settings
    from django.test import Client, override_settings

    from directory.constants import AccountRole
    from directory.models import User
    from reports.metrics import Scope
    from reports.selectors.coverage import dashboard_figures
    from reports.town_report_documents import town_report_data, town_report_pdf, town_report_xlsx

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user, _ = User.objects.get_or_create(
        username="bench-town", defaults={"role": AccountRole.TOWN_OFFICE}
    )
    client = Client()
    client.force_login(user)
    url = f"/admin/reports/coverage/?year={YEAR}&month={MONTH}"

    def figures():
        return dashboard_figures(scope=Scope(), year=YEAR, month=MONTH, today=TODAY)

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    def compiled():
        data = town_report_data(year=YEAR, month=MONTH, today=TODAY)
        return town_report_pdf(data), town_report_xlsx(data)

    from reports.models import MetricSnapshot
    from reports.services.snapshots import snapshots_refresh

    # Counted live first: no stored snapshot may answer.
    MetricSnapshot.objects.filter(year=YEAR).delete()
    out = {}
    out["figures"] = timed(figures, repeat)
    # The admin's static files are not collected here: plain storage instead of the manifest.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        out["page"] = timed(page, repeat)
    out["raw"] = timed(raw_numbers, repeat)
    if existing:
        queries = people_metric_sql()
        out["raw_all"] = timed(lambda: raw_all(queries), repeat)
        out["metrics"] = per_metric(repeat)
    out["report"] = timed(compiled, max(1, repeat // 2))
    # What the dashboards read once the beat task has counted (reports.services.snapshots).
    out["refresh"] = timed(lambda: snapshots_refresh(year=YEAR), 1)
    out["figures_snapshot"] = timed(figures, repeat)
    with override_settings(STORAGES=storages):
        out["page_snapshot"] = timed(page, repeat)
    out["same_snapshot"] = dashboard_numbers(out["figures_snapshot"][2]) == out["raw"][2]
    MetricSnapshot.objects.filter(year=YEAR).delete()
    out["same"] = dashboard_numbers(out["figures"][2]) == out["raw"][2]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--use-existing",
        action="store_true",
        help="measure the database's own data (e.g. seed_scale's) for today; build nothing",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("CELERY_FILESYSTEM_DIR", str(workdir / "celery"))
    os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if args.use_existing:
        global YEAR, MONTH, TODAY
        from django.utils import timezone

        from directory.models import Enterprise, Person
        from training.models import StudyHourEntry

        TODAY = timezone.localdate()
        YEAR, MONTH = TODAY.year, TODAY.month
        args.enterprises = [Enterprise.objects.count()]
        print(
            f"existing data: {args.enterprises[0]:,} enterprises, {Person.objects.count():,} "
            f"people, {StudyHourEntry.objects.count():,} ledger rows; {YEAR}-{MONTH:02d}"
        )
    print(f"database: {connection.vendor}; median of {args.repeat} runs")
    header = (
        f"{'enterprises':>11} {'jit':>4} {'setup s':>8} {'figures ms':>10} {'q':>3} {'page ms':>8} {'q':>3} "
        f"{'raw SQL ms':>10} {'q':>3} {'x raw':>6} {'same':>5} {'PDF+XLSX ms':>11} {'PDF kB':>7}"
    )
    print(header)
    for count in args.enterprises:
        started = time.perf_counter()
        if not args.use_existing:
            prepare(count)
        setup = time.perf_counter() - started
        # PostgreSQL's JIT compiles the grouped query (its estimated cost is high) for longer
        # than the query runs: measured as the server is configured, then with JIT off.
        for jit in ("on", "off") if connection.vendor == "postgresql" else ("-",):
            if jit == "off":
                with connection.cursor() as cursor:
                    cursor.execute("SET jit = off")
            r = measure(args.repeat, existing=args.use_existing)
            figures, page, raw, report = r["figures"], r["page"], r["raw"], r["report"]
            print(
                f"{count:>11} {jit:>4} {setup:>8.1f} {figures[0] * 1000:>10.0f} {figures[1]:>3} "
                f"{page[0] * 1000:>8.0f} {page[1]:>3} {raw[0] * 1000:>10.0f} {raw[1]:>3} "
                f"{figures[0] / raw[0]:>6.1f} {'yes' if r['same'] else 'NO':>5} "
                f"{report[0] * 1000:>11.0f} {len(report[2][0]) / 1024:>7.0f}"
            )
            snap, snap_page = r["figures_snapshot"], r["page_snapshot"]
            print(
                f"{'':>16} from the snapshot (counted in {r['refresh'][0]:.1f} s by the beat "
                f"task): figures {snap[0] * 1000:.1f} ms, {snap[1]} q; page "
                f"{snap_page[0] * 1000:.0f} ms, {snap_page[1]} q; same as raw SQL: "
                f"{'yes' if r['same_snapshot'] else 'NO'}"
            )
            # The floor of every metric's figures is their SQL run directly (--use-existing); the
            # built data's raw SQL covers the drills only, compared in the table printed above.
            floor_all = r["raw_all"][0] if args.use_existing else None
            floor_name = "all metrics' SQL run directly" if args.use_existing else ""
            size = f"{count:,} enterprises" + (f", JIT {jit}" if jit != "-" else "")
            for name, (seconds, queries, _result) in (
                ("town dashboard figures, counted live", figures),
                ("town dashboard figures, from the snapshot", snap),
                ("town dashboard page, from the snapshot", snap_page),
            ):
                figure(
                    issue=9,
                    name=name,
                    size=size,
                    value=seconds * 1000,
                    unit=f"ms ({queries} queries)",
                    floor=floor_all * 1000 if floor_all else None,
                    floor_name=floor_name,
                    goal="< 500 ms, within 2x of raw SQL",
                )
            figure(
                issue=9,
                name="snapshot count (beat task)",
                size=size,
                value=r["refresh"][0],
                unit="s",
            )
            figure(
                issue=9,
                name="compiled monthly report PDF + XLSX",
                size=size,
                value=report[0],
                unit="s",
            )
            if args.use_existing:
                raw = r["raw_all"]
                print(
                    f"{'':>16} all metrics' SQL run directly: {raw[0] * 1000:.0f} ms, "
                    f"{raw[1]} queries; figures / that floor: {figures[0] / raw[0]:.1f}x"
                )
                for code, seconds, queries in r["metrics"]:
                    print(f"{'':>16} {code:<28} items {seconds * 1000:>8.0f} ms {queries:>3} q")


if __name__ == "__main__":
    main()

"""Every benchmark in one run, collected into one table (markdown + JSON): `make bench`.

    .venv/bin/python benchmarks/run_all.py                      # full sizes, SQLite (long)
    .venv/bin/python benchmarks/run_all.py --quick              # small sizes, a few minutes
    .venv/bin/python benchmarks/run_all.py --quick --only exam_grading dashboard
    .venv/bin/python benchmarks/run_all.py --database-url postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python benchmarks/run_all.py --docs               # also rewrite docs/benchmarks.md's table
    .venv/bin/python benchmarks/run_all.py --redis-url redis://127.0.0.1:6379/2  # load tests on Redis
    .venv/bin/python benchmarks/run_all.py --only capacity peak_days --scale district \
        --database-url postgres://postgres@127.0.0.1:5432/bench --redis-url redis://127.0.0.1:6379/2

Each script runs in its own process, prints its own report (kept in var/bench/<stamp>.log) and
records its figures through benchmarks/figures.py, each next to the floor it measured in the
same run. The table goes to var/bench/latest.md and latest.json with the machine, the versions
and the sizes. With --database-url the scripts that can use PostgreSQL do, each in a fresh
database of its own made beside that one (`<name>_<script>`, dropped after); with --scale the
capacity and peak-day scripts' databases are copies of a `seed_scale` dataset, seeded once into
`<name>_scale_<scale>` and kept for the next run. The machine and its load average (the machine
may be shared) are printed and written next to the tables. Not part of CI; asserts nothing.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
TABLE_START = "<!-- bench:start -->"
TABLE_END = "<!-- bench:end -->"
PACKAGES = ("Django", "wagtail", "psycopg", "celery", "reportlab", "gunicorn", "openpyxl")

# name: (full-size arguments, --quick arguments, uses DATABASE_URL); --tiny (the test) below
SCRIPTS = {
    "import_people": ([], ["--rows", "2000"], True),
    "search_pages": ([], ["--pages", "300", "--queries", "30"], True),
    "serve_pages": ([], ["--seconds", "2", "--concurrency", "4"], False),
    "drill_obligations": ([], ["--enterprises", "2000"], True),
    "learning": (
        ["--in-process", "3000"],
        ["--seconds", "3", "--people", "5000", "--entries", "5", "--in-process", "1000"],
        True,
    ),
    "certificate_reminders": ([], ["--certificates", "5000"], True),
    "certificate_pdfs": ([], ["--pdfs", "50", "--batch", "200"], False),
    "qr_signin": ([], ["--people", "50", "--seconds", "5"], True),
    "dashboard": ([], ["--enterprises", "5000", "--repeat", "1"], True),
    "people_metrics": ([], ["--people", "2000", "--repeat", "1"], True),
    "exam_grading": ([], ["--questions", "20", "100", "--attempts", "20"], True),
    "contest_load": ([], ["--participants", "50", "--spread", "5"], True),
    "load_scenarios": ([], ["--spread", "3"], True),
    "spreadsheet_bombs": ([], ["--string-mb", "256"], False),
    "enterprise_file": ([], ["--people", "2000", "--repeat", "1"], True),
    "task_board": ([], ["--units", "20", "--tasks", "30", "--repeat", "1"], True),
    "capacity": ([], ["--steps", "10", "20", "50", "--spread", "5", "--requests", "3"], True),
    "peak_days": (
        [],
        ["--hall", "100", "--officers", "20", "--officers-seconds", "20"]
        + ["--contest", "100", "--contest-seconds", "10"],
        True,
    ),
    "lists": (["--seed", "town", "--snapshot"], ["--seed", "tiny", "--repeat", "1"], True),
    "exports": (["--scale", "town"], [], True),
}
TINY = {
    "certificate_pdfs": ["--pdfs", "3", "--batch", "3"],
    "exam_grading": ["--questions", "5", "--attempts", "2"],
    "spreadsheet_bombs": ["--string-mb", "16", "--blank-rows", "130000", "--people", "20"],
    "enterprise_file": ["--people", "20", "--repeat", "1"],
    "task_board": ["--units", "4", "--tasks", "6", "--repeat", "1"],
    "capacity": ["--scenario", "qr", "--steps", "2", "--spread", "0.5", "--think", "0"]
    + ["--requests", "1", "--workers", "2", "--no-celery"],
    "peak_days": ["--only", "hall", "--hall", "4", "--hall-seconds", "0.5", "--login-every", "2"]
    + ["--think", "0", "--workers", "2", "--no-celery"],
    "lists": ["--seed", "tiny", "--repeat", "1", "--viewers", "department", "--only", "gaps"],
}
# The scripts run on a copy of a seed_scale dataset with --scale (the others on empty databases).
SCALE_SCRIPTS = {"capacity", "peak_days"}


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory_gib = f"{int(memory) / 2**20:.0f} GiB"
    except OSError:
        memory_gib = "?"
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory_gib,
        "python": platform.python_version(),
    }


def versions() -> dict:
    found = {}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "-"
    return found


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (/proc/loadavg): how busy the machine was."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())


def url_parts(url: str) -> tuple[str, str, str]:
    """A PostgreSQL URL's server part, database name and query ("?sslmode=…" or "")."""
    address, mark, query = url.partition("?")
    base, _sep, name = address.rpartition("/")
    return base, name, mark + query


def url_for(url: str, name: str) -> str:
    """`url` naming database `name` instead (its server and query kept)."""
    base, _name, query = url_parts(url)
    return f"{base}/{name}{query}"


def maintenance_url(url: str) -> str:
    """The server's maintenance database (`postgres`) at `url`'s server, as psycopg takes it:
    the runner's own connections go there, since `url`'s database need not exist (the scripts
    each get a database of their own beside it)."""
    return url_for(url, "postgres").replace("postgres://", "postgresql://", 1)


def database(url: str | None) -> str:
    if not url or not url.startswith("postgres"):
        return "SQLite (a temporary file per script)"
    import psycopg

    name = url_parts(url)[1]
    try:
        with psycopg.connect(maintenance_url(url)) as connection:
            version = connection.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error as error:  # the table is written all the same
        return f"PostgreSQL, version not read ({str(error).strip()[:80]}) ({name})"
    return f"PostgreSQL {version} ({name})"


def commit() -> str:
    out = subprocess.run(  # noqa: S603 - a fixed command
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH, as make uses it
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() or "?"


# The load benchmarks take Redis (cache and Celery broker) and start a Celery worker with it.
REDIS_SCRIPTS = {
    "learning": [],
    "contest_load": ["--celery"],
    "load_scenarios": [],
    "capacity": [],
    "peak_days": [],
}


def database_own(url: str, name: str, *, drop: bool = False, template_name: str = "") -> str:
    """A fresh PostgreSQL database for one script, beside `url`'s (each script empties the tables
    it fills, and one script's rows would block another's deletes); its URL. drop=True: remove it.
    `template_name`: a copy of that database (a seed_scale dataset) rather than an empty one."""
    import psycopg

    own = f"{url_parts(url)[1]}_{name}"
    with psycopg.connect(maintenance_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{own}"')
        if not drop:
            template = f' TEMPLATE "{template_name}"' if template_name else ""
            connection.execute(f'CREATE DATABASE "{own}"{template}')
    return url_for(url, own)


def scale_template(url: str, scale: str, log) -> str:
    """The database holding `seed_scale --scale <scale>` beside `url`'s (`<name>_scale_<scale>`),
    seeded now when it is missing (minutes: a district is 25,000 enterprises and 300,000
    people), kept for the next run and migrated then to the code's migrations; its name. Drop it
    by hand to seed it afresh."""
    import psycopg

    template = f"{url_parts(url)[1]}_scale_{scale}"
    with psycopg.connect(maintenance_url(url), autocommit=True) as connection:
        found = connection.execute(
            "SELECT datname FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{template}"')
    env = dict(os.environ, DATABASE_URL=url_for(url, template))
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    commands = [["migrate", "--noinput", "-v", "0"]]
    if found:
        print(f"== {template}: kept from an earlier run, migrated")
    else:
        print(f"== seeding {template} (seed_scale --scale {scale}, once; kept for later runs)")
        commands.append(["seed_scale", "--scale", scale])
    for command in commands:
        log.write(f"\n== {template}: manage.py {' '.join(command)}\n")
        log.flush()
        done = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, str(ROOT / "manage.py"), *command],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        if done.returncode:
            if not found:
                with psycopg.connect(maintenance_url(url), autocommit=True) as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{template}"')
            sys.exit(f"{template}: manage.py {command[0]} failed (see the log)")
    return template


def run(
    names: list[str],
    size: str,
    url: str | None,
    log,
    redis: str | None = None,
    scale: str | None = None,
) -> tuple[list[dict], list[dict]]:
    figures, runs = [], []
    template = ""
    if scale and url and url.startswith("postgres") and SCALE_SCRIPTS & set(names):
        template = scale_template(url, scale, log)
    for name in names:
        full, small, uses_database = SCRIPTS[name]
        with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as sink:
            sink_path = sink.name
        env = dict(os.environ, BENCH_FIGURES=sink_path)
        env.pop("DATABASE_URL", None)
        postgres = bool(url and uses_database and url.startswith("postgres"))
        if url and uses_database:
            seeded = template if name in SCALE_SCRIPTS else ""
            env["DATABASE_URL"] = database_own(url, name, template_name=seeded) if postgres else url
        arguments = {"full": full, "quick": small, "tiny": TINY.get(name, small)}[size]
        if redis and name in REDIS_SCRIPTS:
            arguments = [*arguments, "--redis", redis, *REDIS_SCRIPTS[name]]
        command = [sys.executable, str(ROOT / "benchmarks" / f"{name}.py"), *arguments]
        print(f"== {name}: {' '.join(command[1:])}", flush=True)
        log.write(f"\n== {name}: {' '.join(command[1:])}\n")
        log.flush()
        started = time.monotonic()
        load_before = os.getloadavg()[0]
        print(f"   load average {load_average()}", flush=True)
        done = subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        seconds = time.monotonic() - started
        if postgres:
            database_own(url, name, drop=True)
        with open(sink_path, encoding="utf-8") as sink:
            rows = [json.loads(line) for line in sink if line.strip()]
        os.unlink(sink_path)
        for row in rows:
            row["script"] = name
        figures.extend(rows)
        runs.append(
            {
                "script": name,
                "ok": done.returncode == 0,
                "seconds": round(seconds, 1),
                "load_before": round(load_before, 2),
                "load_after": round(os.getloadavg()[0], 2),
            }
        )
        print(
            f"   {'ok' if done.returncode == 0 else 'FAILED'} in {seconds:.0f} s, {len(rows)} figures"
        )
    return figures, runs


def _number(value) -> str:
    if value is None:
        return ""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def machine_line(report: dict) -> str:
    info = report["machine"]
    return (
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; load average "
        f"(1, 5, 15 min) {report['load_start']} at the start, {report['load_end']} at the end."
    )


def capacity_section(report: dict) -> list[str]:
    """The capacity table (benchmarks/capacity.py's rows), with the machine and its load."""
    from loadlib import capacity_table

    summaries = [
        row["detail"]["capacity"]
        for row in report["figures"]
        if "capacity" in row.get("detail", {})
    ]
    if not summaries:
        return []
    sizes = sorted(
        {row["size"] for row in report["figures"] if row["name"].startswith("capacity:")}
    )
    return [
        "",
        f"Capacity per scenario ({'; '.join(sizes)}): the most simultaneous users each scenario "
        "held, next to the bare Django view at the same concurrency in the same run. "
        + machine_line(report),
        "",
        capacity_table(summaries).rstrip("\n"),
    ]


def peak_section(report: dict) -> list[str]:
    """Each peak day (benchmarks/peak_days.py): PASS or FAIL and its checks."""
    days = [row["detail"]["peak"] for row in report["figures"] if "peak" in row.get("detail", {})]
    if not days:
        return []
    lines = ["", "Peak days. " + machine_line(report), "", "| peak day | size | result | checks |"]
    lines.append("|---|---|---|---|")
    for day in days:
        checks = "; ".join(
            f"{label} {_number(value)} {unit} (goal {wanted}){'' if met else ' NOT MET'}"
            for label, value, unit, wanted, met in day["checks"]
        )
        if day.get("goal"):
            checks += f"; {day['goal'][0]}: {'met' if day['goal'][1] else 'not met'}"
        lines.append(
            f"| {day['name']} | {day['size']} | {'PASS' if day['pass'] else 'FAIL'} | {checks} |"
        )
    return lines


def markdown(report: dict) -> str:
    info = report["machine"]
    lines = [
        f"Measured {report['when']} at commit `{report['commit']}` "
        f"({report['size']} sizes) on {info['cpu']}, "
        f"{info['cores']} cores, {info['memory']}; Python {info['python']}, "
        + ", ".join(f"{k} {v}" for k, v in report["versions"].items())
        + f"; database: {report['database']}; load average (1, 5, 15 min) "
        f"{report['load_start']} at the start, {report['load_end']} at the end.",
        "",
        "| figure | size | value | floor (same run) | value / floor | goal |",
        "|---|---|---|---|---|---|",
    ]
    for row in report["figures"]:
        if row.get("detail"):
            continue  # in its own section below (capacity, peak days)
        floor = row.get("floor")
        ratio = f"{row['value'] / floor:.2f}" if floor else ""
        floor_text = f"{_number(floor)} ({row['floor_name']})" if floor is not None else ""
        lines.append(
            f"| {row['name']} | {row['size']} | {_number(row['value'])} "
            f"{row['unit']} | {floor_text} | {ratio} | {row['goal']} |"
        )
    lines += [
        "",
        "Scripts (seconds, load average before → after): "
        + "; ".join(
            f"{r['script']} {r['seconds']:.0f} s, {r['load_before']} → {r['load_after']}"
            for r in report["runs"]
        )
        + ".",
    ]
    lines += capacity_section(report) + peak_section(report)
    failed = [r["script"] for r in report["runs"] if not r["ok"]]
    if failed:
        lines += ["", f"Failed: {', '.join(failed)} (see the log)."]
    return "\n".join(lines) + "\n"


def docs_update(table: str, doc: Path = ROOT / "docs" / "benchmarks.md") -> None:
    text = doc.read_text(encoding="utf-8")
    if TABLE_START not in text or TABLE_END not in text:
        sys.exit(f"{doc.name} has no {TABLE_START} … {TABLE_END} block")
    head, rest = text.split(TABLE_START, 1)
    _old, tail = rest.split(TABLE_END, 1)
    doc.write_text(f"{head}{TABLE_START}\n{table}{TABLE_END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few minutes")
    parser.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)  # the test
    parser.add_argument("--only", nargs="+", choices=sorted(SCRIPTS), metavar="SCRIPT")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL"),
        help="redis://… for the load benchmarks' cache and Celery broker",
    )
    parser.add_argument(
        "--scale",
        choices=("town", "district", "city"),
        help="with a PostgreSQL --database-url: capacity and peak days on a seed_scale dataset",
    )
    parser.add_argument("--docs", action="store_true", help="rewrite docs/benchmarks.md's table")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.scale and not (args.database_url or "").startswith("postgres"):
        parser.error("--scale needs a PostgreSQL --database-url (the dataset is seeded there)")

    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    log_path = args.out / f"{stamp}.log"
    info, load_start = machine(), load_average()
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; "
        f"load average (1, 5, 15 min) {load_start}",
        flush=True,
    )
    with open(log_path, "w", encoding="utf-8") as log:
        size = "tiny" if args.tiny else "quick" if args.quick else "full"
        figures, runs = run(
            args.only or list(SCRIPTS),
            size,
            args.database_url,
            log,
            args.redis_url,
            scale=args.scale,
        )
    report = {
        "when": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "commit": commit(),
        "size": size,
        "machine": info,
        "load_start": load_start,
        "load_end": load_average(),
        "versions": versions(),
        "database": database(args.database_url)
        + (f", capacity and peak days on seed_scale --scale {args.scale}" if args.scale else "")
        + (f"; Redis for the load benchmarks: {args.redis_url}" if args.redis_url else ""),
        "runs": runs,
        "figures": figures,
    }
    table = markdown(report)
    (args.out / "latest.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (args.out / "latest.md").write_text(table, encoding="utf-8")
    print(
        f"\n{table}\nlog: {log_path}\ntable: {args.out / 'latest.md'}, {args.out / 'latest.json'}"
    )
    if args.docs:
        docs_update(table)
    if not all(r["ok"] for r in runs):
        sys.exit(1)


if __name__ == "__main__":
    main()

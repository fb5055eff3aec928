"""Every benchmark in one run, collected into one table (markdown + JSON): `make bench`.

    .venv/bin/python benchmarks/run_all.py                      # full sizes, SQLite (long)
    .venv/bin/python benchmarks/run_all.py --quick              # small sizes, a few minutes
    .venv/bin/python benchmarks/run_all.py --quick --only exam_grading dashboard
    .venv/bin/python benchmarks/run_all.py --database-url postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python benchmarks/run_all.py --docs               # also rewrite docs/benchmarks.md's table
    .venv/bin/python benchmarks/run_all.py --redis-url redis://127.0.0.1:6379/2  # load tests on Redis

Each script runs in its own process, prints its own report (kept in var/bench/<stamp>.log) and
records its figures through benchmarks/figures.py, each next to the floor it measured in the
same run. The table goes to var/bench/latest.md and latest.json with the machine, the versions
and the sizes. With --database-url the scripts that can use PostgreSQL do, each in a fresh
database of its own made beside that one (`<name>_<script>`, dropped after). Not part of CI;
asserts nothing.
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
    "learning": ([], ["--seconds", "3", "--people", "5000", "--entries", "5"], True),
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
    "lists": (["--seed", "town", "--snapshot"], ["--seed", "tiny", "--repeat", "1"], True),
    "exports": (["--scale", "town"], [], True),
}
TINY = {
    "certificate_pdfs": ["--pdfs", "3", "--batch", "3"],
    "exam_grading": ["--questions", "5", "--attempts", "2"],
    "spreadsheet_bombs": ["--string-mb", "16", "--blank-rows", "130000", "--people", "20"],
    "enterprise_file": ["--people", "20", "--repeat", "1"],
    "task_board": ["--units", "4", "--tasks", "6", "--repeat", "1"],
    "lists": ["--seed", "tiny", "--repeat", "1", "--viewers", "department", "--only", "gaps"],
}


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


def database(url: str | None) -> str:
    if not url or not url.startswith("postgres"):
        return "SQLite (a temporary file per script)"
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
    return f"PostgreSQL {version} ({url.rsplit('/', 1)[-1]})"


def commit() -> str:
    out = subprocess.run(  # noqa: S603 - a fixed command
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH, as make uses it
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() or "?"


# The load benchmarks take Redis (cache and Celery broker) and start a Celery worker with it.
REDIS_SCRIPTS = {"contest_load": ["--celery"], "load_scenarios": []}


def database_own(url: str, name: str, *, drop: bool = False) -> str:
    """A fresh PostgreSQL database for one script, beside `url`'s (each script empties the tables
    it fills, and one script's rows would block another's deletes); its URL. drop=True: remove it."""
    import psycopg

    base, _sep, database_name = url.rpartition("/")
    own = f"{database_name}_{name}"
    server = f"{base}/postgres".replace("postgres://", "postgresql://", 1)
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{own}"')
        if not drop:
            connection.execute(f'CREATE DATABASE "{own}"')
    return f"{base}/{own}"


def run(
    names: list[str], size: str, url: str | None, log, redis: str | None = None
) -> tuple[list[dict], list[dict]]:
    figures, runs = [], []
    for name in names:
        full, small, uses_database = SCRIPTS[name]
        with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as sink:
            sink_path = sink.name
        env = dict(os.environ, BENCH_FIGURES=sink_path)
        env.pop("DATABASE_URL", None)
        postgres = bool(url and uses_database and url.startswith("postgres"))
        if url and uses_database:
            env["DATABASE_URL"] = database_own(url, name) if postgres else url
        arguments = {"full": full, "quick": small, "tiny": TINY.get(name, small)}[size]
        if redis and name in REDIS_SCRIPTS:
            arguments = [*arguments, "--redis", redis, *REDIS_SCRIPTS[name]]
        command = [sys.executable, str(ROOT / "benchmarks" / f"{name}.py"), *arguments]
        print(f"== {name}: {' '.join(command[1:])}", flush=True)
        log.write(f"\n== {name}: {' '.join(command[1:])}\n")
        log.flush()
        started = time.monotonic()
        load_before = os.getloadavg()[0]
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


def markdown(report: dict) -> str:
    info = report["machine"]
    lines = [
        f"Measured {report['when']} at commit `{report['commit']}` "
        f"({report['size']} sizes) on {info['cpu']}, "
        f"{info['cores']} cores, {info['memory']}; Python {info['python']}, "
        + ", ".join(f"{k} {v}" for k, v in report["versions"].items())
        + f"; database: {report['database']}.",
        "",
        "| figure | size | value | floor (same run) | value / floor | goal |",
        "|---|---|---|---|---|---|",
    ]
    for row in report["figures"]:
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
    parser.add_argument("--docs", action="store_true", help="rewrite docs/benchmarks.md's table")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    log_path = args.out / f"{stamp}.log"
    with open(log_path, "w", encoding="utf-8") as log:
        size = "tiny" if args.tiny else "quick" if args.quick else "full"
        figures, runs = run(
            args.only or list(SCRIPTS), size, args.database_url, log, args.redis_url
        )
    report = {
        "when": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "commit": commit(),
        "size": size,
        "machine": machine(),
        "versions": versions(),
        "database": database(args.database_url)
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

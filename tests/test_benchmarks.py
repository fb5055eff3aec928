"""The benchmarks still run (on a tiny input): their figures are measured outside CI.

Each script runs in a subprocess on its own SQLite file, whatever database the suite itself uses,
so the tests carry the `benchmark` marker and CI runs each in one pass only. The files are copies
of one database migrated once per run: the scripts' own `migrate` then has nothing to apply.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.benchmark

# The load scripts (heartbeats, QR sign-in, contest, scenarios, capacity, peak days) start
# servers of their own on their own SQLite file, as `make run` does: they also carry
# `own_database`, which puts them in CI's PostgreSQL pass beside `make run`, and so does the
# seeded-database check, so that the two passes take about the same time; the other benchmark
# smoke tests run in the SQLite pass. Each runs once.


def script_env(folder: Path) -> dict[str, str]:
    """A bare environment: the SQLite file, the broker folder, media and temporary files in `folder`."""
    return {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "CELERY_FILESYSTEM_DIR": str(folder / "celery"),
        "MEDIA_ROOT": str(folder / "media"),
        "TMPDIR": str(folder),
    }


def manage(env: dict[str, str], *command: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *command],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture
def bench_dir(tmp_path, migrated_sqlite) -> Path:
    """tmp_path holding a copy of the migrated database, where `bench` runs a script."""
    shutil.copyfile(migrated_sqlite, tmp_path / "bench.sqlite3")
    return tmp_path


def bench(folder: Path, script: str, *args: str) -> list[str]:
    """Run benchmarks/<script> on the SQLite file in `folder`; its printed lines."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=script_env(folder),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.splitlines()


@pytest.mark.slow
def test_people_import_benchmark_runs(bench_dir):
    lines = bench(bench_dir, "import_people.py", "--rows", "300")
    steps = [line for line in lines if line.lstrip().startswith("300 ")]
    assert len(steps) == 4  # floor, dry run, write, re-import
    assert all("x" in line for line in steps)


@pytest.mark.slow
@pytest.mark.own_database
def test_learning_benchmark_runs(bench_dir):
    lines = bench(
        bench_dir,
        "learning.py",
        *("--seconds", "0.5", "--concurrency", "2", "--enterprise-size", "50"),
        *("--people", "200", "--entries", "2"),
    )
    assert any(line.strip().startswith("heartbeat") and "req/s" in line for line in lines)
    # Requirement status takes the same few queries for 50 people and for 200.
    figures = [line for line in lines if line.strip().startswith(("one enterprise", "200 people"))]
    assert len(figures) == 2
    # After the 34-character label: people, ledger rows, seconds, queries, setup seconds.
    queries = [int(line[36:].split()[3]) for line in figures]
    assert queries[0] == queries[1] <= 5


@pytest.mark.slow
def test_drill_obligations_benchmark_runs_with_constant_queries(bench_dir):
    lines = bench(bench_dir, "drill_obligations.py", "--enterprises", "60", "120")
    rows = [line.split() for line in lines if line.split() and line.split()[0] in ("60", "120")]
    assert [row[1] for row in rows] == ["60", "120"]
    # Obligation queries and coverage queries: the same for 60 and 120 enterprises.
    assert rows[0][3] == rows[1][3] and rows[0][5] == rows[1][5]


@pytest.mark.slow
def test_certificate_reminders_benchmark_runs(bench_dir):
    lines = bench(bench_dir, "certificate_reminders.py", "--certificates", "400")
    runs = [line.split() for line in lines if line.lstrip().startswith("400 ")]
    assert [run[1] for run in runs] == ["1", "2"]
    # The second run of the day sends nothing: every reminder went out once.
    assert int(runs[0][3]) > 0 and runs[1][3] == "0"


@pytest.mark.slow
def test_certificate_pdf_benchmark_runs(bench_dir):
    lines = bench(bench_dir, "certificate_pdfs.py", "--pdfs", "5", "--batch", "12", "--tracemalloc")
    assert any(line.strip().startswith("certificate ") for line in lines)
    assert any(line.strip().startswith("bare page ") for line in lines)
    batches = [line for line in lines if line.strip().startswith(("pdf:", "zip:"))]
    assert len(batches) == 2 and all("Python heap peak" in line for line in batches)


@pytest.mark.slow
def test_enterprise_file_benchmark_runs_with_constant_queries(bench_dir):
    lines = bench(bench_dir, "enterprise_file.py", "--people", "10", "40", "--repeat", "1")
    rows = [line.split() for line in lines if line.split() and line.split()[0] in ("10", "40")]
    assert [row[0] for row in rows] == ["10", "40"]
    # people, dossier s, queries, page s, queries, pdf s, pages, rows, bare s, pages
    assert rows[0][2] == rows[1][2] and rows[0][4] == rows[1][4]
    assert int(rows[1][6]) >= 1 and int(rows[1][9]) >= 1 and int(rows[1][7]) > int(rows[0][7])


@pytest.mark.slow
def test_exam_grading_benchmark_runs_with_constant_queries(bench_dir):
    lines = bench(bench_dir, "exam_grading.py", "--questions", "10", "40", "--attempts", "3")
    rows = [line.split() for line in lines if line.split() and line.split()[0] in ("10", "40")]
    assert [row[0] for row in rows] == ["10", "40"]
    # Grading takes the same few queries whatever the paper's size; every answer was right.
    assert rows[0][2] == rows[1][2] and int(rows[1][2]) <= 5
    assert [row[5] for row in rows] == ["10.0", "40.0"]


@pytest.mark.slow
@pytest.mark.own_database
def test_qr_signin_benchmark_runs(bench_dir):
    lines = bench(bench_dir, "qr_signin.py", "--people", "6", "--seconds", "1", "--threads", "4")
    figures = {line.split()[0]: line.split() for line in lines if line.startswith("  ")}
    assert figures["errors"][1] == "0"
    assert figures["signed"][2] == "6"
    assert figures["duplicates"][1] == "0"


@pytest.mark.slow
def test_dashboard_benchmark_runs_and_agrees_with_raw_sql(bench_dir):
    lines = bench(bench_dir, "dashboard.py", "--enterprises", "200", "--repeat", "1")
    (row,) = [line for line in lines if line.lstrip().startswith("200 ")]
    assert " yes " in row


@pytest.mark.slow
def test_people_metrics_benchmark_runs_with_constant_queries(bench_dir):
    lines = bench(bench_dir, "people_metrics.py", "--people", "60", "120", "--repeat", "1")
    rows = [line.split() for line in lines if line.split() and line.split()[0] in ("60", "120")]
    assert [(row[0], row[1]) for row in rows[:3]] == [
        ("60", "training_hours"),
        ("60", "special_operator_certified"),
        ("60", "manager_assessment"),
    ]
    # Each metric's queries (items, then the drill-down) are the same for 60 and 120 people.
    assert [(r[3], r[7]) for r in rows[:3]] == [(r[3], r[7]) for r in rows[3:]]
    assert rows[3][4] == "120"


@pytest.mark.slow
def test_bench_runner_writes_one_table_with_floors(bench_dir):
    """`make bench`'s runner: each script's figures, next to their floors, in markdown and JSON.
    Given the migrated copy as its database, the script has no migrations left to apply."""
    import json

    out = bench_dir / "bench"
    database = f"sqlite:///{bench_dir / 'bench.sqlite3'}"
    bench(
        bench_dir,
        "run_all.py",
        "--tiny",
        "--only",
        "enterprise_file",
        "--database-url",
        database,
        "--out",
        str(out),
    )
    report = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert report["runs"] == [{**report["runs"][0], "script": "enterprise_file", "ok": True}]
    pdf = next(f for f in report["figures"] if f["name"] == "enterprise file: PDF")
    assert pdf["value"] > 0 and pdf["floor"] > 0
    assert pdf["floor_name"].startswith("bare reportlab table")
    table = (out / "latest.md").read_text(encoding="utf-8")
    assert "| enterprise file: PDF |" in table
    assert "bare reportlab table" in table
    assert report["machine"]["cores"] >= 1 and report["versions"]["Django"].startswith("5.2")


def test_bench_runner_rewrites_only_the_docs_block(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from run_all import docs_update

    readme = tmp_path / "benchmarks.md"
    readme.write_text("before\n<!-- bench:start -->\nold\n<!-- bench:end -->\nafter\n")
    docs_update("| new |\n", readme)
    assert (
        readme.read_text() == "before\n<!-- bench:start -->\n| new |\n<!-- bench:end -->\nafter\n"
    )


@pytest.mark.slow
@pytest.mark.own_database  # seeds its file with seed_scale: in CI's PostgreSQL pass, for balance
def test_dashboard_and_people_benchmarks_measure_a_seeded_database(bench_dir):
    """`--use-existing` reads seed_scale's data as it is: same figures as raw SQL, nothing built."""
    for command in (["migrate", "-v0"], ["seed_scale", "--scale", "tiny"]):
        manage(script_env(bench_dir), *command)
    lines = bench(bench_dir, "dashboard.py", "--use-existing", "--repeat", "1")
    assert any("40 enterprises" in line and "2,000 ledger rows" in line for line in lines)
    (row,) = [line for line in lines if line.lstrip().startswith("40 ")]
    assert " yes " in row
    assert any("all metrics' SQL run directly" in line for line in lines)
    assert any(line.split()[:1] == ["training_hours"] for line in lines)
    people = bench(bench_dir, "people_metrics.py", "--use-existing", "--repeat", "1")
    rows = [line.split() for line in people if line.split()[1:2] == ["training_hours"]]
    assert len(rows) == 1 and int(rows[0][4]) > 0  # people with a requirement, counted


def _figures(lines: list[str], title: str) -> dict[str, list[str]]:
    """The table printed under `title`: {kind: [requests, req/s, p50, p95, p99, max, errors]}."""
    start = next(i for i, line in enumerate(lines) if line.lstrip("\n").startswith(title))
    table = {}
    for line in lines[start + 2 :]:
        if not line.startswith("  ") or not line.split()[1].isdigit():
            break
        table[line.split()[0]] = line.split()[1:]
    return table


@pytest.mark.slow
@pytest.mark.own_database
def test_contest_load_benchmark_runs_without_errors(bench_dir):
    lines = bench(
        bench_dir,
        "contest_load.py",
        *("--participants", "3", "--spread", "0.5", "--think", "0", "--workers", "2"),
    )
    contest = _figures(lines, "contest:")
    # 3 participants: page, start, paper, 20 answers, submit, result each; nothing failed.
    assert contest["answer"][0] == "60" and contest["submit"][0] == "3"
    assert [row[6] for row in contest.values()] == ["0"] * len(contest)
    assert any("graded 3, open 0" in line for line in lines)
    assert _figures(lines, "bare view")["bare"][6] == "0"


@pytest.mark.slow
@pytest.mark.own_database
def test_load_scenarios_benchmark_runs_every_scenario(bench_dir):
    lines = bench(
        bench_dir,
        "load_scenarios.py",
        *("--users", "2", "--spread", "0.5", "--think", "0", "--requests", "2"),
        *("--enterprises", "10", "--workers", "2", "--no-celery"),
        *("--rows", "3", "--certificates", "2"),
    )
    for name, kind, count in (
        ("contest", "answer", "40"),
        ("qr", "scan", "4"),
        ("heartbeat", "heartbeat", "4"),
        ("dashboard", "dashboard", "4"),
        ("homes", "drill-down", "4"),
        ("imports", "upload", "2"),
        ("exports", "export", "4"),
        ("printing", "print", "2"),
    ):
        figures = _figures(lines, f"{name}:")
        assert figures[kind][0] == count and figures["all"][6] == "0", (name, figures)


@pytest.mark.slow
def test_spreadsheet_bombs_benchmark_runs(bench_dir):
    lines = bench(
        bench_dir,
        "spreadsheet_bombs.py",
        *("--string-mb", "16", "--blank-rows", "130000", "--people", "20"),
    )
    rows = {line[:20].strip(): line[20:].split() for line in lines if "MB" in line[20:32]}
    assert rows["huge shared string"][2] == "failed" and rows["blank rows"][2] == "failed"
    assert rows["20 people"][2:4] == ["done", "20"]


@pytest.mark.slow
def test_task_board_benchmark_runs_with_constant_queries(bench_dir):
    lines = bench(bench_dir, "task_board.py", "--units", "4", "8", "--tasks", "6", "--repeat", "1")
    rows = [line.split() for line in lines if line.split() and line.split()[0] in ("4", "8")]
    # units, tasks, lines, then seconds and queries of the board, a unit's board, a task, xlsx
    assert [(row[0], row[2]) for row in rows] == [("4", "288"), ("8", "576")]
    assert [rows[0][n] for n in (4, 6, 8, 10)] == [rows[1][n] for n in (4, 6, 8, 10)]


@pytest.mark.slow
@pytest.mark.own_database
def test_capacity_benchmark_steps_users_up_beside_the_bare_view(bench_dir):
    lines = bench(
        bench_dir,
        "capacity.py",
        *("--scenario", "qr", "heartbeat", "--steps", "1", "2", "--spread", "0.2"),
        *("--think", "0", "--requests", "1", "--workers", "2", "--no-celery"),
        *("--threads", "2"),  # gthread workers, as docs/production.md runs them
        *("--limit-ms", "100000"),  # every step holds: the test asserts no time
    )
    assert any("2 gthread workers × 2 threads" in line for line in lines)
    # A line per step: users, requests, req/s, p95, errors | bare req/s, p95, errors | held.
    for title, per_user in (("qr", 2), ("heartbeat", 1)):
        start = next(i for i, line in enumerate(lines) if line.startswith(f"{title}: steps"))
        steps = [line.split() for line in lines[start + 2 : start + 4]]
        assert [(row[0], row[1], row[4], row[8], row[10]) for row in steps] == [
            ("1", str(per_user), "0", "0", "yes"),
            ("2", str(2 * per_user), "0", "0", "yes"),
        ]
    # The table: every step held, so each scenario holds at least the last one.
    assert any(line.startswith("| qr | ≥ 2 | ") for line in lines)
    assert any(line.startswith("| heartbeat | ≥ 2 | ") for line in lines)


@pytest.mark.slow
@pytest.mark.own_database
def test_peak_days_benchmark_judges_each_day(bench_dir):
    lines = bench(
        bench_dir,
        "peak_days.py",
        *("--hall", "4", "--hall-seconds", "0.2", "--login-every", "2"),
        *("--officers", "3", "--officers-seconds", "0.2", "--enterprises", "5"),
        *("--contest", "2", "--contest-seconds", "0.2", "--think", "0"),
        *("--workers", "2", "--no-celery"),
    )
    verdicts = [
        line.split(":")[0].strip()
        for line in lines
        if line.endswith(")") and (": PASS (" in line or ": FAIL (" in line)
    ]
    assert verdicts == ["4-seat hall", "3 officers", "2-participant contest"]
    checks = {line.split()[0]: line.split() for line in lines if line.startswith("    ")}
    # Whatever the times, nothing failed, every seat signed in once, every participant graded.
    hall = lines[next(i for i, line in enumerate(lines) if "4-seat hall:" in line) :]
    assert "errors 0 errors goal 0 ok" in " ".join(hall[1].split())
    assert "duplicate attendances 0 duplicates goal 0 ok" in " ".join(hall[2].split())
    assert "signed in 4 people goal 4 ok" in " ".join(hall[3].split())
    assert checks["graded"][1:3] == ["2", "attempts"] and checks["graded"][-1] == "ok"
    assert _figures(lines, "hall:")["login"][0] == "2"  # two of four logged in from the scan


def test_capacity_summary_is_the_largest_step_held_and_the_first_not():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from loadlib import Step, capacity_summary, capacity_table

    steps = [
        Step(10, 200, 40.0, 120.0, 0, 300.0, 8.0, 0, ""),
        Step(20, 400, 70.0, 250.0, 0, 500.0, 12.0, 0, ""),
        Step(50, 1000, 80.0, 900.0, 2, 700.0, 40.0, 0, "p95 900 ms, 2 errors"),
    ]
    summary = capacity_summary("contest", steps)
    assert (summary["held"], summary["p95_ms"], summary["bare_p95_ms"]) == (20, 250.0, 12.0)
    assert (summary["broke_at"], summary["bare_held"], summary["at_least"]) == (50, 50, False)
    row = capacity_table([summary]).splitlines()[2]
    assert row.startswith("| contest | 20 | 250 ms | 70.0 req/s | 12 ms | 500.0 req/s | 50: p95")
    assert capacity_summary("qr", steps[:2])["at_least"] is True
    assert capacity_summary("qr", steps[2:])["held"] == 0


def test_bench_runner_prints_capacity_and_peak_days_with_the_load(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from loadlib import Step, capacity_summary
    from run_all import machine, markdown

    summary = capacity_summary("qr", [Step(10, 20, 9.0, 80.0, 0, 40.0, 5.0, 0, "")])
    peak = {
        "name": "300-seat hall",
        "size": "300 seats in 10 s",
        "pass": False,
        "checks": [["errors", 0, "errors", "0", True], ["p95", 412.0, "ms", "< 300", False]],
        "goal": None,
    }
    rows = [
        {
            "name": "capacity: qr",
            "size": "8 workers",
            "value": 10,
            "unit": "users",
            "floor": 10,
            "floor_name": "bare",
            "goal": "",
            "detail": {"capacity": summary},
        },
        {
            "name": "peak day, 300-seat hall",
            "size": "300 seats in 10 s",
            "value": 1,
            "unit": "of 2 checks met",
            "floor": None,
            "floor_name": "",
            "goal": "all",
            "detail": {"peak": peak},
        },
    ]
    report = {
        "when": "now",
        "commit": "abc",
        "size": "quick",
        "machine": machine(),
        "versions": {},
        "database": "SQLite",
        "runs": [],
        "figures": rows,
        "load_start": "7.10 6.00 5.00",
        "load_end": "8.00 7.00 6.00",
    }
    text = markdown(report)
    assert "| capacity: qr |" not in text  # in its own table, not the figures'
    assert "| qr | ≥ 10 | 80 ms | 9.0 req/s | 5 ms |" in text
    assert (
        "| 300-seat hall | 300 seats in 10 s | FAIL | errors 0 errors (goal 0); p95 412 ms" in text
    )
    assert text.count("load average (1, 5, 15 min) 7.10 6.00 5.00 at the start") == 3


def test_bench_runner_connects_to_the_maintenance_database():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from run_all import maintenance_url

    assert (
        maintenance_url("postgres://postgres@127.0.0.1:5432/bench_x")
        == "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    assert maintenance_url("postgresql://u:p@db/bench?sslmode=require") == (
        "postgresql://u:p@db/postgres?sslmode=require"
    )


@pytest.mark.slow
def test_bench_runner_writes_its_table_for_a_database_that_does_not_exist(tmp_path):
    """--database-url naming a database that is not there: the scripts get databases of their
    own beside it, and the runner reads the server's version from the maintenance database."""
    import os

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("needs a PostgreSQL server (DATABASE_URL=postgres://…)")
    import psycopg

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from run_all import maintenance_url

    missing = url.partition("?")[0].rsplit("/", 1)[0] + "/bench_never_created"
    with psycopg.connect(maintenance_url(url), autocommit=True) as connection:
        connection.execute('DROP DATABASE IF EXISTS "bench_never_created"')
    out = tmp_path / "bench"
    bench(
        tmp_path,
        "run_all.py",
        *("--tiny", "--only", "certificate_pdfs", "--out", str(out), "--database-url", missing),
    )
    table = (out / "latest.md").read_text(encoding="utf-8")
    assert "database: PostgreSQL 1" in table and "(bench_never_created)" in table
    assert "| certificate PDF, one process | 3 PDFs |" in table


@pytest.mark.slow
def test_lists_benchmark_times_page_one_of_the_lists(bench_dir):
    lines = bench(
        bench_dir,
        "lists.py",
        "--seed",
        "tiny",
        "--repeat",
        "1",
        "--snapshot",
        "--viewers",
        "department",
        "--only",
        "uncovered",
        "certificates/gaps",
        "choices",
    )
    assert any(line.startswith("snapshot refresh:") for line in lines)
    rows = [line.split() for line in lines if line.startswith("department ")]
    urls = {row[-1] for row in rows}
    assert "/admin/reports/coverage/training_hours/uncovered/" in urls
    assert "/admin/certificates/gaps/" in urls
    assert any(url.startswith("/admin/registry/choices/enterprises/") for url in urls)
    # Every list answered (a time, a query count and a size, not "-").
    assert all(row[1].isdigit() and row[2].isdigit() for row in rows)


@pytest.mark.slow
def test_exports_benchmark_runs(bench_dir):
    lines = bench(bench_dir, "exports.py", "--scale", "tiny")
    header = next(n for n, line in enumerate(lines) if line.split()[:1] == ["rows"])
    # rows, request+worker s, CPU s, download s, file kB, peak MB before, after, floor s, rows
    figures = lines[header + 1].split()
    assert int(figures[0]) > 0 and figures[0] == figures[8]

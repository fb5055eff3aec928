"""People import benchmark: rows/s and peak memory, next to the floor (openpyxl + bulk_create).

    make bench                                   # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench   # an existing, empty DB
    .venv/bin/python benchmarks/import_people.py --rows 20000 100000

Each measured step runs in its own process, so "peak" is that step's own resident memory above
the process's resident size after Django started. Not part of CI: it prints figures, asserts nothing.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import figure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENTERPRISES = 500


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def django_setup():
    # Base settings: DEBUG off, so Django does not keep every SQL statement in memory.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def prepare(path: Path, rows: int) -> None:
    """Migrate, register the enterprises, and write the XLSX of `rows` people."""
    from django.core.management import call_command
    from openpyxl import Workbook

    from directory.demo import credit_code_make, id_number_make
    from directory.models import Department, Enterprise, Industry, Village

    call_command("migrate", verbosity=0)
    people_reset()
    village, _ = Village.objects.get_or_create(name="徐泾村")
    industry, _ = Industry.objects.get_or_create(name="机械制造")
    department, _ = Department.objects.get_or_create(name="经发办")
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                name=f"基准企业{n}",
                credit_code=credit_code_make(n),
                village=village,
                industry=industry,
                lead_department=department,
            )
            for n in range(1, ENTERPRISES + 1)
        ],
        ignore_conflicts=True,
    )
    from directory.importing.resources import PersonResource

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    columns = PersonResource.column_names()
    sheet.append(columns)
    for n in range(1, rows + 1):
        values = {
            "姓名": f"员工{n}",
            "身份证号": id_number_make(n),
            "手机号": f"138{n:08d}",
            "所属企业统一社会信用代码": credit_code_make(n % ENTERPRISES + 1),
            "人员类别": "特种作业人员" if n % 10 == 0 else "一般从业人员",
            "用工形式": "劳务派遣" if n % 7 == 0 else "正式",
            "岗位": "操作工",
            "入职日期": f"2020/{n % 12 + 1}/{n % 28 + 1}",
        }
        # The template's other optional columns (工种, 离岗日期, 返岗日期) stay empty.
        sheet.append([values.get(column, "") for column in columns])
    workbook.save(path)


def step_floor(path: Path) -> int:
    """The floor: read with openpyxl, look enterprises up in a dict, bulk_create in 1000s."""
    import datetime

    from openpyxl import load_workbook

    from directory.models import Enterprise, Person

    enterprises = dict(Enterprise.objects.values_list("credit_code", "pk"))
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    at = {column: index for index, column in enumerate(next(rows))}
    batch, count = [], 0
    for row in rows:
        name, id_number, phone, code, post, hired = (
            row[at[column]]
            for column in (
                "姓名",
                "身份证号",
                "手机号",
                "所属企业统一社会信用代码",
                "岗位",
                "入职日期",
            )
        )
        year, month, day = (int(p) for p in hired.split("/"))
        person = Person(
            name=name,
            id_number=id_number,
            phone=phone,
            employer_id=enterprises[code],
            post=post,
            hire_date=datetime.date(year, month, day),
        )
        person.derive_from_id_number()
        batch.append(person)
        if len(batch) == 1000:
            Person.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    Person.objects.bulk_create(batch)
    count += len(batch)
    return count


def people_reset() -> None:
    """Empty the people table between steps, outside any measurement."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM directory_person")
    connection.close()


def step_import(path: Path, dry_run: bool) -> int:
    from directory.importing.services import import_file

    report = import_file(kind="people", path=path, dry_run=dry_run)
    if not report.ok:
        raise SystemExit("\n".join(report.lines()[:20]))
    return sum(report.counts.values())


def child(step: str, path: Path) -> None:
    django_setup()
    base = current_rss_mb()
    started = time.perf_counter()
    rows = step_floor(path) if step == "floor" else step_import(path, dry_run=step == "dry-run")
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_rss_mb() - base}))


def run_step(step: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", step, str(path)],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    if out.returncode:
        raise SystemExit(f"step {step} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--child", nargs=2, metavar=("STEP", "FILE"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return

    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("CELERY_FILESYSTEM_DIR", str(workdir / "celery"))
    django_setup()
    from django.db import connection

    print(f"database: {connection.vendor}")
    print(f"{'rows':>8} {'step':<22} {'rows/s':>8} {'seconds':>8} {'peak MB':>8} {'vs floor':>9}")
    for rows in args.rows:
        path = workdir / f"people-{rows}.xlsx"
        prepare(path, rows)
        connection.close()
        floor = run_step("floor", path)
        people_reset()
        results = [
            ("floor (openpyxl+bulk)", floor),
            ("import: dry run", run_step("dry-run", path)),
            ("import: write", run_step("write", path)),
            ("re-import: unchanged", run_step("write", path)),
        ]
        floor_rate = floor["rows"] / floor["seconds"]
        for name, result in results:
            rate = result["rows"] / result["seconds"]
            print(
                f"{rows:>8} {name:<22} {rate:>8.0f} {result['seconds']:>8.1f} "
                f"{result['peak_mb']:>8.1f} {floor_rate / rate:>8.2f}x"
            )
            if result is not floor:
                figure(
                    issue=2,
                    name=f"people import, {name}",
                    size=f"{rows:,} rows",
                    value=rate,
                    unit="rows/s",
                    floor=floor_rate,
                    floor_name="openpyxl + bulk_create",
                )
                figure(
                    issue=2,
                    name=f"people import, {name}: peak memory",
                    size=f"{rows:,} rows",
                    value=result["peak_mb"],
                    unit="MB",
                    floor=floor["peak_mb"],
                    floor_name="openpyxl + bulk_create",
                )


if __name__ == "__main__":
    main()

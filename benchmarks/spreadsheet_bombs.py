"""Hostile spreadsheets through the real back-office upload: the web process's peak memory.

    .venv/bin/python benchmarks/spreadsheet_bombs.py                # 1 GB string, 300,000 blank rows
    .venv/bin/python benchmarks/spreadsheet_bombs.py --string-mb 256 --blank-rows 300000

Each upload runs in its own process (Django's test client posting to the import page as the
town office, the check inline as in a web request), which prints its peak resident memory, the
job's status and message, and the people written. The files are built in code
(tests/security/spreadsheet_files.py): one huge shared string (~1 MB on disk per GB unpacked),
a sheet of blank rows (~9 MB), and an ordinary 2,000-row people file, checked then confirmed.
The goal: every peak under 300 MB. Not part of CI: it prints figures, asserts nothing.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from figures import figure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOAL_MB = 300


def peak_rss_mb() -> float:
    """This process's own peak resident size (VmHWM): ru_maxrss would include the peak of the
    process that spawned it."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def prepare(workdir: Path, string_mb: int, blank_rows: int, people: int) -> dict[str, Path]:
    """Migrate, one town-office account and one enterprise; the three files."""
    from django.core.management import call_command
    from openpyxl import Workbook

    from directory.constants import AccountRole
    from directory.demo import credit_code_make, id_number_make
    from directory.importing.resources import PersonResource
    from directory.models import Department, Enterprise, Industry, User, Village
    from tests.security.spreadsheet_files import blank_rows_xlsx, huge_shared_string_xlsx

    call_command("migrate", verbosity=0)
    User.objects.get_or_create(username="bench-imports", defaults={"role": AccountRole.TOWN_OFFICE})
    Enterprise.objects.get_or_create(
        credit_code=credit_code_make(1),
        defaults={
            "name": "基准企业",
            "village": Village.objects.get_or_create(name="徐泾村")[0],
            "industry": Industry.objects.get_or_create(name="机械制造")[0],
            "lead_department": Department.objects.get_or_create(name="经发办")[0],
        },
    )
    headers = PersonResource.column_names()
    files = {
        "huge shared string": huge_shared_string_xlsx(
            workdir / "string.xlsx", headers, megabytes=string_mb
        ),
        "blank rows": blank_rows_xlsx(workdir / "blank.xlsx", headers, rows=blank_rows),
    }
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for n in range(1, people + 1):
        sheet.append(
            [f"员工{n}", id_number_make(n), f"138{n:08d}", credit_code_make(1), "", "", "", ""]
        )
    files[f"{people:,} people"] = workdir / "people.xlsx"
    workbook.save(files[f"{people:,} people"])
    return files


def child(path: Path) -> None:
    """Upload `path` as the town office; confirm it when it checked clean."""
    django_setup()
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from directory.models import ImportJob, Person, User

    translation.activate("zh-hans")
    base = peak_rss_mb()
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="bench-imports"))
    before = Person.objects.count()
    with open(path, "rb") as handle:
        client.post(reverse("directory_imports:index"), {"kind": "people", "file": handle})
    job = ImportJob.objects.latest("pk")
    if job.status == ImportJob.Status.CHECKED and not job.has_errors:
        client.post(reverse("directory_imports:confirm", args=[job.pk]))
        job.refresh_from_db()
    message = "; ".join(job.report.get("file_errors", []))
    print(
        json.dumps(
            {
                "status": job.status,
                "message": message,
                "written": Person.objects.count() - before,
                "base_mb": base,
                "peak_mb": peak_rss_mb(),
            },
            ensure_ascii=False,
        )
    )


def run_child(path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path)], capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"upload of {path.name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--string-mb", type=int, default=1024)
    parser.add_argument("--blank-rows", type=int, default=300_000)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(Path(args.child))
        return

    workdir = Path(tempfile.mkdtemp(prefix="bench-bombs-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("CELERY_FILESYSTEM_DIR", str(workdir / "celery"))
    os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(workdir / "private"))
    django_setup()
    from django.db import connection

    files = prepare(workdir, args.string_mb, args.blank_rows, args.people)
    connection.close()
    print(f"goal: peak resident memory of the uploading process under {GOAL_MB} MB")
    print(f"{'file':<20} {'on disk':>9} {'status':<9} {'written':>7} {'base MB':>8} {'peak MB':>8}")
    for name, path in files.items():
        result = run_child(path)
        size = f"{path.stat().st_size / 1024 / 1024:.1f} MB"
        print(
            f"{name:<20} {size:>9} {result['status']:<9} {result['written']:>7} "
            f"{result['base_mb']:>8.0f} {result['peak_mb']:>8.0f}"
        )
        if result["message"]:
            print(f"{'':<20} {result['message']}")
        figure(
            issue=15,
            name=f"import upload, {name}: peak memory",
            size=size,
            value=result["peak_mb"],
            unit="MB",
            floor=result["base_mb"],
            floor_name="the same process before the upload",
            goal=f"< {GOAL_MB} MB",
        )


if __name__ == "__main__":
    main()

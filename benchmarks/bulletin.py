"""Monthly bulletin benchmark: the time to build a town-sized month's 通报 (data, PDF, and the
whole service with numbering, storage and notifications), to decide that it runs in the request.

    .venv/bin/python benchmarks/bulletin.py                          # 20 departments, 40 villages
    .venv/bin/python benchmarks/bulletin.py --departments 40 --villages 120 --tasks 600

A temporary SQLite database (or DATABASE_URL); every unit has sent its report with a progress
line for each of its tasks. Prints figures, asserts nothing.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def django_setup(folder: str):
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("MEDIA_ROOT", f"{folder}/media")
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", f"{folder}/private")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def town(departments: int, villages: int, tasks: int) -> None:
    from django.utils import timezone

    from directory.constants import AccountRole
    from directory.models import Department, User, Village
    from plan.models import PlanItem, Task, TaskProgress, TaskUnit
    from reports.models import MonthlyReport

    depts = Department.objects.bulk_create(
        Department(name=f"部门{n}", sort_order=n) for n in range(departments)
    )
    vills = Village.objects.bulk_create(Village(name=f"村居{n}") for n in range(villages))
    User.objects.bulk_create(
        [
            User(username=f"d{d.pk}", role=AccountRole.DEPARTMENT_OFFICER, department=d)
            for d in depts
        ]
        + [User(username=f"v{v.pk}", role=AccountRole.VILLAGE_OFFICER, village=v) for v in vills]
    )
    item = PlanItem.objects.create(code="二(一)1", part="二", text="方案条目")
    rows = Task.objects.bulk_create(
        Task(
            plan_item=item,
            title=f"任务{n}：开展专项排查整治并报送台账",
            key=f"T{n:04d}",
            deadline=datetime.date(2026, 10 + n % 3, 28),
        )
        for n in range(tasks)
    )
    parts = []
    for n, task in enumerate(rows):
        parts.append(TaskUnit(task=task, department=depts[n % departments], role="lead"))
        parts.append(TaskUnit(task=task, village=vills[n % villages], role="cooperating"))
    TaskUnit.objects.bulk_create(parts)
    sent = timezone.make_aware(datetime.datetime(2026, 11, 20, 9))
    reports = MonthlyReport.objects.bulk_create(
        [
            MonthlyReport(department=d, year=2026, month=11, status="submitted", submitted_at=sent)
            for d in depts
        ]
        + [
            MonthlyReport(village=v, year=2026, month=11, status="submitted", submitted_at=sent)
            for v in vills
        ]
    )
    by_unit = {
        ("d", r.department_id) if r.department_id else ("v", r.village_id): r for r in reports
    }
    progress = []
    for part in parts:
        unit = ("d", part.department_id) if part.department_id else ("v", part.village_id)
        progress.append(
            TaskProgress(
                task=part.task,
                report=by_unit[unit],
                percent=50,
                progress="本月完成企业排查若干家，整改隐患若干项，下月继续推进。",
                problems="部分企业整改进度较慢",
            )
        )
    TaskProgress.objects.bulk_create(progress)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--villages", type=int, default=40)
    parser.add_argument("--tasks", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        django_setup(folder)
        town(args.departments, args.villages, args.tasks)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from config.pdf import cjk_font
        from directory.constants import AccountRole
        from directory.models import User
        from plan.followup.bulletins import bulletin_data, bulletin_pdf
        from plan.followup.services import bulletin_generate

        today = datetime.date(2026, 12, 5)
        start = time.perf_counter()
        cjk_font()
        font = time.perf_counter() - start
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            data = bulletin_data(year=2026, month=11, today=today)
        read = time.perf_counter() - start
        start = time.perf_counter()
        pdf = bulletin_pdf(data, number="徐泾安委办通报〔2026〕1号", issued_on=today)
        draw = time.perf_counter() - start
        office = User.objects.create(username="town", role=AccountRole.TOWN_OFFICE)
        # The first run of a process also sets up the Celery client that queues the e-mails.
        start = time.perf_counter()
        bulletin_generate(user=office, year=2026, month=10, today=today)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        bulletin = bulletin_generate(user=office, year=2026, month=11, today=today)
        whole = time.perf_counter() - start
        lines = sum(len(u.tasks) for u in data.units)
        print(
            f"units {len(data.units)}, tasks {args.tasks}, table lines {lines}, "
            f"PDF {len(pdf) / 1024:.0f} KiB\n"
            f"font registration (once per process) {font:.2f} s\n"
            f"data {read:.3f} s in {len(queries)} queries; PDF {draw:.2f} s; "
            f"whole service (number, PDF, store, {len(data.units)} units told) {whole:.2f} s, "
            f"first in the process {cold:.2f} s "
            f"→ {bulletin.number}"
        )


if __name__ == "__main__":
    main()

"""Task board benchmark: the board page, a task's page and the XLSX export, timed with their
query counts, on a town of U units and T tasks reported on for 12 months.

    .venv/bin/python benchmarks/task_board.py                     # 40 units x 60 tasks x 12 months
    .venv/bin/python benchmarks/task_board.py --units 20 40 --tasks 60
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/task_board.py

Half the units are departments, half villages. Every unit has a part in every task (one leads,
the others cooperate): the worst case, U x T unit links; each unit sends a report each month
with a line on each task (U x T x 12 progress lines). A third of the tasks are past their
deadline. The pages are fetched through the test client as the town office (and the board as
a department's officer); query counts must stay the same whatever the size. Not part of CI:
it prints figures, asserts nothing.
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
YEAR = 2026
TODAY = datetime.date(YEAR, 12, 15)
BATCH = 2000


def prepare(units: int, tasks: int):
    """Empty the plan and report tables, then bulk-create the town; the two viewers."""
    from directory.constants import AccountRole
    from directory.models import Department, User, Village
    from plan.models import PlanItem, Task, TaskProgress, TaskUnit
    from reports.models import MonthlyReport

    TaskProgress.objects.all().delete()
    MonthlyReport.objects.all().delete()
    TaskUnit.objects.all().delete()
    Task.objects.all().delete()
    PlanItem.objects.all().delete()
    User.objects.filter(username__startswith="bench-").delete()
    Department.objects.filter(name__startswith="基准部门").delete()
    Village.objects.filter(name__startswith="基准村").delete()
    departments = Department.objects.bulk_create(
        Department(name=f"基准部门{n}", sort_order=n) for n in range(units // 2)
    )
    villages = Village.objects.bulk_create(
        Village(name=f"基准村{n}") for n in range(units - units // 2)
    )
    owners = [("department", d) for d in departments] + [("village", v) for v in villages]
    items = PlanItem.objects.bulk_create(
        PlanItem(code=f"{part}(一){n}", part=part, number=n, text="基准条目", sort_key=k)
        for k, (part, n) in enumerate((p, n) for p in ("二", "三") for n in range(1, 11))
    )
    made = Task.objects.bulk_create(
        Task(
            plan_item=items[n % len(items)],
            title=f"基准任务{n}",
            key=f"B{n:04d}",
            # A third overdue, a third due next year, a third done.
            deadline=datetime.date(YEAR, 6, 30) if n % 3 == 0 else datetime.date(YEAR + 1, 6, 30),
            status="done" if n % 3 == 2 else "in_progress",
            completed_on=datetime.date(YEAR, 5, 1) if n % 3 == 2 else None,
        )
        for n in range(tasks)
    )
    TaskUnit.objects.bulk_create(
        (
            TaskUnit(
                task=task,
                role="lead" if u == t % units else "cooperating",
                **{kind: unit},
            )
            for t, task in enumerate(made)
            for u, (kind, unit) in enumerate(owners)
        ),
        batch_size=BATCH,
    )
    reports = MonthlyReport.objects.bulk_create(
        (
            MonthlyReport(year=YEAR, month=month, status="submitted", **{kind: unit})
            for kind, unit in owners
            for month in range(1, 13)
        ),
        batch_size=BATCH,
    )
    TaskProgress.objects.bulk_create(
        (
            TaskProgress(
                task=task, report=report, progress="本月推进情况", percent=report.month * 8
            )
            for report in reports
            for task in made
        ),
        batch_size=BATCH,
    )
    town = User.objects.create_user("bench-town", role=AccountRole.TOWN_OFFICE)
    officer = User.objects.create_user(
        "bench-dept", role=AccountRole.DEPARTMENT_OFFICER, department=departments[0]
    )
    return town, officer, made[0], TaskProgress.objects.count()


def timed(function, repeat: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, result = [], 0, None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), queries, result


def fetch(client, url: str):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    get()  # warm the template cache and the session
    return get


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, nargs="+", default=[40])
    parser.add_argument("--tasks", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-task-board-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("CELERY_FILESYSTEM_DIR", str(workdir / "celery"))
    os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from directory.retention import retention_lift_for_scratch_database

    retention_lift_for_scratch_database()  # a scratch database, emptied before each run
    import time_machine
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    print(f"database: {connection.vendor}; median of {args.repeat} runs; seconds and queries")
    print(
        f"{'units':>5} {'tasks':>5} {'lines':>7} {'board':>7} {'q':>3} {'unit':>7} {'q':>3} "
        f"{'task':>7} {'q':>3} {'xlsx':>7} {'q':>3} {'setup':>7}"
    )
    noon = datetime.datetime.combine(TODAY, datetime.time(4), tzinfo=datetime.UTC)
    with time_machine.travel(noon, tick=True), override_settings(STORAGES=storages):
        for units in args.units:
            started = time.perf_counter()
            town, officer, task, lines = prepare(units, args.tasks)
            setup = time.perf_counter() - started
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            as_town, as_officer = Client(), Client()
            as_town.force_login(town)
            as_officer.force_login(officer)
            board = timed(fetch(as_town, reverse("plan_board")), args.repeat)
            own = timed(fetch(as_officer, reverse("plan_board")), args.repeat)
            page = timed(fetch(as_town, reverse("plan_board_task", args=[task.pk])), args.repeat)
            export = timed(fetch(as_town, reverse("plan_board_export")), args.repeat)
            print(
                f"{units:>5} {args.tasks:>5} {lines:>7} {board[0]:>7.3f} {board[1]:>3} "
                f"{own[0]:>7.3f} {own[1]:>3} {page[0]:>7.3f} {page[1]:>3} "
                f"{export[0]:>7.3f} {export[1]:>3} {setup:>7.1f}"
            )
            size = f"{units} units x {args.tasks} tasks x 12 months"
            for name, (seconds, queries, _result) in (
                ("task board", board),
                ("task board (a department)", own),
                ("task board: one task's months", page),
                ("task board: XLSX export", export),
            ):
                figure(issue=19, name=name, size=size, value=seconds, unit="s")
                figure(issue=19, name=f"{name}: queries", size=size, value=queries, unit="queries")


if __name__ == "__main__":
    main()

"""List export benchmark: the coverage drill-down "not covered: training hours" exported as
XLSX end to end in the worker path (the request starts the job, the task writes the file, the
download streams it), with the rows, seconds and the process's peak memory, next to a floor:
the same rows' SQL fetched directly.

    .venv/bin/python benchmarks/exports.py                                  # SQLite, scale tiny
    .venv/bin/python benchmarks/exports.py --scale town                     # 100k people (long)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_district \\
        .venv/bin/python benchmarks/exports.py --use-existing                # a seed_scale dataset

Without --use-existing the database (a temporary SQLite file unless DATABASE_URL says otherwise)
must be empty: `seed_scale --scale <scale>` fills it first. The task runs in this process
(Celery eager), exactly as the worker runs it: the export's session settings on PostgreSQL
(cursor_tuple_fraction = 1, the export's statement timeout), the rows streamed from a
server-side cursor into openpyxl's write-only workbook in a temporary file. Peak memory is the
process's peak resident set (ru_maxrss) before and after the export: flat memory shows as a
growth that does not follow the rows. Prints figures, asserts nothing but that the file holds
the rows the job counted.
"""

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from figures import figure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
METRIC = "training_hours"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def django_setup():
    # Base settings: DEBUG off, so Django does not keep every SQL statement in memory.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from config.celery import app

    app.conf.task_always_eager = True  # the task runs here, as the worker runs it
    app.conf.task_eager_propagates = True


def floor_seconds(queryset) -> tuple[float, int]:
    """The export's rows fetched by their own SQL, nothing written (the database's share)."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1")
        cursor.execute(sql, params)
        rows = 0
        while batch := cursor.fetchmany(2000):
            rows += len(batch)
    return time.perf_counter() - started, rows


def measure(user) -> dict:
    import openpyxl
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from directory.models import ExportJob, ExportLogEntry
    from reports.metrics import Scope, metric_get
    from reports.selectors.uncovered import uncovered_for

    today = timezone.localdate()
    client = Client()
    client.force_login(user)
    url = reverse("coverage:uncovered", args=[METRIC]) + "?format=xlsx"
    before = peak_mb()
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    worker = time.perf_counter() - started
    cpu = time.process_time() - cpu  # this process's share: the database's runs elsewhere
    assert response.status_code == 302, response.status_code
    job = ExportJob.objects.latest("pk")
    assert job.status == "done", job.error
    started = time.perf_counter()
    download = client.get(reverse("export_jobs:download", args=[job.pk]))
    body = b"".join(download.streaming_content)
    fetched = time.perf_counter() - started
    after = peak_mb()
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    rows = sum(1 for _row in book.active.iter_rows(min_row=2, values_only=True))
    assert rows == job.done == ExportLogEntry.objects.latest("pk").rows, (rows, job.done)
    metric = metric_get(METRIC)
    queryset = uncovered_for(user, metric, scope=Scope(), year=today.year, month=today.month)
    floor, floor_rows = floor_seconds(queryset)
    return {
        "rows": rows,
        "request_and_worker": worker,
        "cpu": cpu,
        "download": fetched,
        "kb": len(body) / 1024,
        "peak_before": before,
        "peak_after": after,
        "floor": floor,
        "floor_rows": floor_rows,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="tiny", help="seed_scale size for an empty database")
    parser.add_argument("--use-existing", action="store_true", help="measure the data as it is")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-exports-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("CELERY_FILESYSTEM_DIR", str(workdir / "celery"))
    os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))
    django_setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from directory.constants import AccountRole
    from directory.models import Enterprise, Person, User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES["private"]["OPTIONS"]["location"] = str(workdir / "private")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not args.use_existing:
        call_command("seed_scale", scale=args.scale, stdout=io.StringIO())
    setup = time.perf_counter() - started
    user, _ = User.objects.get_or_create(
        username="bench-exports", defaults={"role": AccountRole.TOWN_OFFICE}
    )
    size = f"{Enterprise.objects.count():,} enterprises, {Person.objects.count():,} people"
    print(f"database: {connection.vendor}; {size}; setup {setup:.1f} s")
    r = measure(user)
    print(
        f"{'rows':>8} {'request+worker s':>16} {'of it CPU s':>11} {'download s':>10} {'file kB':>8} "
        f"{'peak MB before':>14} {'peak MB after':>13} {'floor s':>8} {'floor rows':>10}"
    )
    print(
        f"{r['rows']:>8} {r['request_and_worker']:>16.2f} {r['cpu']:>11.2f} {r['download']:>10.2f} "
        f"{r['kb']:>8.0f} {r['peak_before']:>14.0f} {r['peak_after']:>13.0f} "
        f"{r['floor']:>8.2f} {r['floor_rows']:>10}"
    )
    figure(
        issue=21,
        name="uncovered training-hours XLSX export (worker)",
        value=round(r["request_and_worker"] + r["download"], 2),
        unit="s",
        size=f"{r['rows']:,} rows ({size})",
        floor=round(r["floor"], 2),
        floor_name="the rows' SQL fetched directly",
        goal="< 30 s at district scale",
    )
    figure(
        issue=21,
        name="uncovered export: peak resident memory",
        value=round(r["peak_after"]),
        unit="MB",
        size=f"{r['rows']:,} rows",
        floor=round(r["peak_before"]),
        floor_name="the process before the export",
    )


if __name__ == "__main__":
    main()

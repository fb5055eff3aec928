"""Person-metric benchmark: the time and query count of 从业人员培训学时达标率 and the
two certificate metrics (特种作业持证上岗率, 安全管理人员考核合格率) over N people in post.

    .venv/bin/python benchmarks/people_metrics.py                             # SQLite, temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/people_metrics.py
    .venv/bin/python benchmarks/people_metrics.py --people 500 --repeat 1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_city .venv/bin/python benchmarks/people_metrics.py --use-existing

`--use-existing` measures the database as it is (e.g. `seed_scale --scale city`: 1M people, 10M
ledger rows, 500k certificates) for the current year, building and deleting nothing.

People are spread over 200 enterprises (a fifth of them high-risk); every tenth is a special
operator, every twentieth a principal; two people in three have three ledger entries in the year;
every other special operator and manager has a certificate. `items` is what the dashboard calls
once per metric; `uncovered` is the drill-down list (counted). Prints figures, asserts nothing.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from figures import figure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
YEAR = 2026
BATCH = 5000
CODES = ("training_hours", "special_operator_certified", "manager_assessment")


def prepare(count: int) -> None:
    """Empty the people, ledger and certificates, then bulk-create `count` people and theirs."""
    from certificates.models import CertificateType, RegisteredCertificate
    from directory.constants import RiskClass
    from directory.demo import credit_code_make, id_number_make
    from directory.models import Department, Enterprise, Industry, Person, Village
    from training.models import HourSource, StudyHourEntry

    for model in (StudyHourEntry, RegisteredCertificate, Person, Enterprise):
        model.objects.all().delete()
    department, _ = Department.objects.get_or_create(name="经发办")
    village, _ = Village.objects.get_or_create(name="徐泾村")
    general, _ = Industry.objects.get_or_create(name="机械制造")
    high, _ = Industry.objects.get_or_create(
        name="危险化学品", defaults={"risk_class": RiskClass.HIGH_RISK}
    )
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"基准企业{n}",
            credit_code=credit_code_make(n + 1),
            village=village,
            industry=high if n % 5 == 0 else general,
            lead_department=department,
        )
        for n in range(200)
    )
    for start in range(0, count, BATCH):
        Person.objects.bulk_create(
            Person(
                name=f"人员{n}",
                id_number=id_number_make(n + 1),
                employer=enterprises[n % 200],
                is_general_worker=True,
                is_special_operator=n % 10 == 0,
                is_principal=n % 20 == 5,
                hire_date=datetime.date(2020, 1, 1),
            )
            for n in range(start, min(start + BATCH, count))
        )
    special = CertificateType.objects.get(code="special_operation")
    management = CertificateType.objects.get(code="management_ability")
    entries, certificates = [], []
    people = Person.objects.order_by("pk").values_list("pk", "is_special_operator", "is_principal")
    for n, (pk, operator, principal) in enumerate(people):
        if n % 3:
            entries.extend(
                StudyHourEntry(
                    person_id=pk,
                    source=HourSource.IMPORTED,
                    hours=Decimal(3),
                    date=datetime.date(YEAR, 1 + (n + k * 4) % 11, 1),
                    training_name=f"培训{k}",
                )
                for k in range(3)
            )
        for needed, kind in ((operator, special), (principal, management)):
            if needed and n // 20 % 2 == 0:
                issued = datetime.date(YEAR - n % 3, 1 + n % 10, 1)
                certificates.append(
                    RegisteredCertificate(
                        person_id=pk,
                        certificate_type=kind,
                        number=f"B{kind.pk}-{pk}",
                        issuing_authority="上海市应急管理局",
                        first_issued_on=issued,
                        valid_until=issued.replace(year=issued.year + 6),
                        expires_on=issued.replace(year=issued.year + 6),
                    )
                )
        if len(entries) >= BATCH:
            StudyHourEntry.objects.bulk_create(entries)
            entries = []
    StudyHourEntry.objects.bulk_create(entries)
    RegisteredCertificate.objects.bulk_create(certificates, batch_size=BATCH)


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, nargs="+", default=[5_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--use-existing",
        action="store_true",
        help="measure the database's own data (e.g. seed_scale's) for this year; build nothing",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-people-metrics-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("CELERY_FILESYSTEM_DIR", str(workdir / "celery"))
    os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from directory.retention import retention_lift_for_scratch_database

    retention_lift_for_scratch_database()  # a scratch database, emptied before each run
    from django.core.management import call_command
    from django.db import connection

    from reports.metrics import Scope, metric_get

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; median of {args.repeat} runs")
    print(
        f"{'people':>7} {'metric':<27} {'items ms':>9} {'q':>3} {'in denom':>9} "
        f"{'covered':>8} {'uncovered ms':>12} {'q':>3} {'rows':>6}"
    )
    year, month = YEAR, 12
    if args.use_existing:
        from django.utils import timezone

        today = timezone.localdate()
        year, month = today.year, today.month
        args.people = [Scope().people().count()]
    for count in args.people:
        if not args.use_existing:
            prepare(count)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        for code in CODES:
            metric = metric_get(code)
            items = timed(lambda m=metric: m.items(scope=Scope(), year=year), args.repeat)
            rows = timed(
                lambda m=metric: m.uncovered(scope=Scope(), year=year, month=month).count(),
                args.repeat,
            )
            total = sum(i.count for i in items[2])
            covered = sum(i.count for i in items[2] if i.covered_month is not None)
            print(
                f"{count:>7} {code:<27} {items[0] * 1000:>9.0f} {items[1]:>3} {total:>9} "
                f"{covered:>8} {rows[0] * 1000:>12.0f} {rows[1]:>3} {rows[2]:>6}"
            )
            size = f"{count:,} people"
            figure(
                issue=9,
                name=f"{code}: figures",
                size=size,
                value=items[0] * 1000,
                unit=f"ms ({items[1]} queries)",
            )
            figure(
                issue=9,
                name=f"{code}: uncovered list count",
                size=size,
                value=rows[0] * 1000,
                unit=f"ms ({rows[1]} queries)",
            )


if __name__ == "__main__":
    main()

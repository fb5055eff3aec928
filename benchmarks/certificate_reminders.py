"""Daily certificate job benchmark: time and query count over N registered certificates.

    .venv/bin/python benchmarks/certificate_reminders.py                     # SQLite, 100,000
    .venv/bin/python benchmarks/certificate_reminders.py --certificates 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/certificate_reminders.py

Bulk-created data: one certificate per person, first issues spread over seven years (so about
one in ten reaches a reminder stage or lapses on the measured day), one enterprise per 20 people
with a manager account, one holder in four with an account. The job runs twice: the second run
must send nothing. The query count must not grow with N faster than one chunk in 2,000.
Not part of CI: it prints figures, asserts nothing.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

from figures import figure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TODAY = datetime.date(2026, 11, 28)
BATCH = 5000
PER_ENTERPRISE = 20


def django_setup():
    # Base settings: DEBUG off, so Django does not keep every SQL statement in memory.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from directory.retention import retention_lift_for_scratch_database

    retention_lift_for_scratch_database()  # a scratch database, emptied before each run


def _clear() -> None:
    from certificates.models import CertificateReview, RegisteredCertificate
    from directory.models import Enterprise, Notification, Person, User

    Notification.objects.all().delete()
    CertificateReview.objects.all().delete()
    RegisteredCertificate.objects.all().delete()
    Person.objects.all().delete()
    User.objects.filter(username__startswith="bench-").delete()
    Enterprise.objects.all().delete()


def prepare(count: int) -> None:
    """Empty the tables, then bulk-create people, enterprises, accounts and certificates."""
    from certificates.models import CertificateType, RegisteredCertificate, SpecialOperation
    from certificates.rules import add_years
    from certificates.services.registry import schedule_apply
    from directory.constants import AccountRole
    from directory.demo import credit_code_make, id_number_make
    from directory.models import Department, Enterprise, Industry, Person, User, Village

    _clear()
    village, _ = Village.objects.get_or_create(name="徐泾村")
    department, _ = Department.objects.get_or_create(name="经发办")
    industry, _ = Industry.objects.get_or_create(name="机械制造")
    enterprises = count // PER_ENTERPRISE + 1
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                name=f"基准企业{n}",
                credit_code=credit_code_make(n),
                village=village,
                industry=industry,
                lead_department=department,
            )
            for n in range(1, enterprises + 1)
        ],
        batch_size=BATCH,
    )
    enterprise_ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    unusable = "!bench"
    User.objects.bulk_create(
        [
            User(
                username=f"bench-m{pk}",
                password=unusable,
                role=AccountRole.ENTERPRISE_MANAGER,
                enterprise_id=pk,
            )
            for pk in enterprise_ids
        ]
        + [
            User(
                username="bench-dept",
                password=unusable,
                role=AccountRole.DEPARTMENT_OFFICER,
                department=department,
            )
        ],
        batch_size=BATCH,
    )
    kind = CertificateType.objects.get(code="special_operation")
    operation = SpecialOperation.objects.get(name="低压电工作业")
    for start in range(0, count, BATCH):
        numbers = range(start + 1, min(start + BATCH, count) + 1)
        holders = User.objects.bulk_create(
            [
                User(username=f"bench-h{n}", password=unusable, role=AccountRole.LEARNER)
                for n in numbers
                if n % 4 == 0
            ]
        )
        accounts = iter(holders)
        people = Person.objects.bulk_create(
            [
                Person(
                    name=f"持证人{n}",
                    id_number=id_number_make(n),
                    employer_id=enterprise_ids[n // PER_ENTERPRISE],
                    is_special_operator=True,
                    account=next(accounts) if n % 4 == 0 else None,
                )
                for n in numbers
            ]
        )
        certificates = []
        for n, person in zip(numbers, people, strict=True):
            first = TODAY - datetime.timedelta(days=(n * 37) % (7 * 365))
            certificate = RegisteredCertificate(
                person=person,
                certificate_type=kind,
                operation=operation,
                number=person.id_number,
                issuing_authority="上海市应急管理局",
                first_issued_on=first,
                valid_until=add_years(first, 6),
            )
            schedule_apply(certificate, [])
            certificates.append(certificate)
        RegisteredCertificate.objects.bulk_create(certificates)


def measure():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from certificates.services.registry_reminders import registry_daily_run

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        run = registry_daily_run(today=TODAY)
        seconds = time.perf_counter() - started
    return seconds, len(queries), run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--certificates", type=int, nargs="+", default=[100_000])
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-certificates-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("CELERY_FILESYSTEM_DIR", str(workdir / "celery"))
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    header = f"{'certificates':>12} {'run':>4} {'reminded':>9} {'sent':>7} {'seconds':>8} {'queries':>8} {'setup s':>8}"
    print(header)
    for count in args.certificates:
        started = time.perf_counter()
        prepare(count)
        setup = time.perf_counter() - started
        for attempt in (1, 2):
            seconds, queries, run = measure()
            print(
                f"{count:>12} {attempt:>4} {run.certificates:>9} {run.sent:>7} "
                f"{seconds:>8.2f} {queries:>8} {setup:>8.1f}"
            )
            run_name = "certificate daily job" + (" (rerun: sends nothing)" if attempt == 2 else "")
            size = f"{count:,} certificates"
            figure(issue=7, name=run_name, size=size, value=seconds, unit="s")
            figure(issue=7, name=f"{run_name}: queries", size=size, value=queries, unit="queries")


if __name__ == "__main__":
    main()

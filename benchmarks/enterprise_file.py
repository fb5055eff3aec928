"""一企一档 benchmark: one enterprise's file for 2,000 people — the page and the PDF — next to a
bare reportlab document of the same number of table rows.

    .venv/bin/python benchmarks/enterprise_file.py                      # 2,000 people, SQLite
    .venv/bin/python benchmarks/enterprise_file.py --people 200 2000 --repeat 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/enterprise_file.py

The enterprise has N people in post (one principal, a safety manager in fifty, two special
operators in ten, one of them with a card), five ledger rows each in the year, everyone at two
offline sessions, a certificate issued to one in four, twelve drills over this year and last with
a corrective action each, and reminders to its manager and to a hundred of its people. Timed:
the dossier (`enterprise_dossier`, with its query count), the page through Django's test client
(selector + template + the site's frame; goal < 2 s), the PDF (`enterprise_dossier_pdf`, the
whole roster) and, as its floor, a bare reportlab document — one table of as many rows in the
same CJK font, no selector, no paragraphs. Tables it fills are emptied first. Prints figures,
asserts nothing.
"""

import argparse
import datetime
import io
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
TODAY = datetime.date(YEAR, 11, 20)
BATCH = 2000
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


def name(n: int) -> str:
    return SURNAMES[n % 20] + GIVEN[(n // 20) % 20] + GIVEN[(n // 400) % 20]


def empty() -> None:
    from certificates.models import IssuedCertificate, RegisteredCertificate
    from directory.models import Enterprise, Notification, Person, User
    from training.models import (
        Attendance,
        CorrectiveAction,
        DrillRecord,
        StudyHourEntry,
        TrainingSession,
    )

    for model in (CorrectiveAction, Attendance, TrainingSession, IssuedCertificate):
        model.objects.all().delete()
    DrillRecord.all_objects.all().delete()
    for model in (RegisteredCertificate, StudyHourEntry, Notification):
        model.objects.all().delete()
    Enterprise.objects.update(principal=None)
    User.objects.filter(username__startswith="bench-").delete()
    Person.objects.all().delete()
    Enterprise.objects.all().delete()


def prepare(count: int):
    """The enterprise of `count` people and its records; returns (enterprise, manager account)."""
    from certificates.models import CertificateType, IssuedCertificate, RegisteredCertificate
    from certificates.services.issued import certificate_number_allocate
    from directory.constants import AccountRole
    from directory.demo import credit_code_make, id_number_make
    from directory.models import (
        Department,
        Enterprise,
        Industry,
        Notification,
        Person,
        User,
        Village,
    )
    from training.models import (
        Attendance,
        AttendanceStatus,
        CorrectiveAction,
        DrillRecord,
        HourSource,
        StudyHourEntry,
        TrainingSession,
    )
    from training.sessions.models.sessions import SessionKind

    empty()
    enterprise = Enterprise.objects.create(
        name="基准机械制造有限公司",
        credit_code=credit_code_make(1),
        village=Village.objects.get_or_create(name="徐泾村")[0],
        industry=Industry.objects.get_or_create(name="机械制造")[0],
        lead_department=Department.objects.get_or_create(name="经发办")[0],
        headcount=count,
        is_fire_key_unit=True,
    )
    for start in range(0, count, BATCH):
        Person.objects.bulk_create(
            Person(
                name=name(n),
                id_number=id_number_make(n + 1),
                phone=f"138{n:08d}",
                employer=enterprise,
                is_general_worker=True,
                is_principal=n == 0,
                is_safety_manager=n % 50 == 1,
                is_special_operator=n % 10 in (2, 3),
                hire_date=datetime.date(2020, 1, 1),
            )
            for n in range(start, min(start + BATCH, count))
        )
    people = list(Person.objects.filter(employer=enterprise).order_by("pk"))
    enterprise.principal = people[0]
    enterprise.save(update_fields=["principal"])
    manager = User.objects.create(
        username="bench-manager", role=AccountRole.ENTERPRISE_MANAGER, enterprise=enterprise
    )
    StudyHourEntry.objects.bulk_create(
        (
            StudyHourEntry(
                person=person,
                source=HourSource.IMPORTED,
                hours=Decimal(2),
                date=datetime.date(YEAR, 1 + (n + k * 2) % 10, 1 + k),
                training_name=f"年度再培训{k}",
            )
            for n, person in enumerate(people)
            for k in range(5)
        ),
        batch_size=BATCH,
    )
    special = CertificateType.objects.get(code="special_operation")
    RegisteredCertificate.objects.bulk_create(
        (
            RegisteredCertificate(
                person=person,
                certificate_type=special,
                number=f"T{person.pk:07d}",
                issuing_authority="上海市应急管理局",
                first_issued_on=datetime.date(2022, 3, 1),
                valid_until=datetime.date(2028, 3, 1),
                expires_on=datetime.date(2028, 3, 1),
            )
            for n, person in enumerate(people)
            if n % 10 == 2
        ),
        batch_size=BATCH,
    )
    town = User.objects.create(username="bench-town", role=AccountRole.TOWN_OFFICE)
    for k, kind in enumerate((SessionKind.WORKERS, SessionKind.FIRE)):
        starts = datetime.datetime(YEAR, 3 + k * 4, 12, 1, 30, tzinfo=datetime.UTC)
        session = TrainingSession.objects.create(
            kind=kind,
            title=f"从业人员安全培训第{k + 1}期",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            place="镇政府三楼会议室",
            hours=Decimal(3),
            created_by=town,
        )
        Attendance.objects.bulk_create(
            (
                Attendance(session=session, person=person, status=AttendanceStatus.PRESENT)
                for person in people
            ),
            batch_size=BATCH,
        )
    IssuedCertificate.objects.bulk_create(
        (
            IssuedCertificate(
                number=certificate_number_allocate(year=YEAR),
                holder=person,
                title="岗位安全培训",
                kind="officer",
                hours=8,
                issued_on=datetime.date(YEAR, 6, 1),
            )
            for person in people[::4]
        ),
        batch_size=BATCH,
    )
    for k in range(12):
        record = DrillRecord(
            enterprise=enterprise,
            date=datetime.date(YEAR - k % 2, 1 + k % 10, 10),
            scenario=("fire_evacuation", "earthquake", "gas_leak")[k % 3],
            plan_type=("comprehensive", "special", "on_site")[k % 3],
            alarm_time=datetime.time(14, 0),
            all_clear_time=datetime.time(14, 5),
            headcount=count,
            evacuated=max(0, count - k),
            review_status="accepted",
        )
        record.save()
        CorrectiveAction.objects.create(
            record=record,
            problem=f"疏散通道堆放杂物{k}",
            measure="清理通道并每日检查",
            owner=people[1].name,
            due_date=record.date + datetime.timedelta(days=30),
        )
    accounts = User.objects.bulk_create(
        User(username=f"bench-learner-{n}", role=AccountRole.LEARNER) for n in range(100)
    )
    for person, account in zip(people, accounts, strict=False):
        person.account = account
    Person.objects.bulk_update(people[:100], ["account"])
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=account,
                key=f"bench:{stage}:{account.pk}",
                title=f"培训学时提醒（{stage}）",
            )
            for stage in ("6月", "9月")
            for account in [manager, *accounts]
        ]
    )
    return enterprise, manager


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


def bare_pdf(rows: int) -> bytes:
    """The floor: one table of `rows` rows of five short cells in the CJK font, A4."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from config.pdf import cjk_font, pdf_canvas

    font = cjk_font()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm)
    data = [["姓名", "培训要求", "应完成学时", "已获学时", "是否达标"]] + [
        [name(n), "年度再培训", "8.0", "10.0", "已达标"] for n in range(rows)
    ]
    table = Table(data, repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font)]))
    doc.build([table], canvasmaker=lambda f, **kw: pdf_canvas(f))
    return buffer.getvalue()


def pages(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def measure(enterprise, manager, repeat: int):
    """The dossier, the page (the manager's, through the test client) and the PDF, timed."""
    from django.test import Client

    from dossiers.enterprise.pdf import enterprise_dossier_pdf
    from dossiers.enterprise.selectors import dossier_enterprises_visible_to, enterprise_dossier

    client = Client()
    client.force_login(manager)
    url = f"/dossiers/enterprises/{enterprise.pk}/?year={YEAR}"

    def dossier():
        found = dossier_enterprises_visible_to(manager).get(pk=enterprise.pk)
        return enterprise_dossier(enterprise=found, viewer=manager, year=YEAR, today=TODAY)

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    page()  # warm the template cache and the session
    built = timed(dossier, repeat)
    shown = timed(page, repeat)
    printed = timed(lambda: enterprise_dossier_pdf(built[2]), max(1, repeat // 2))
    return built, shown, printed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, nargs="+", default=[2_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-enterprise-file-"))
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
    from django.test import override_settings

    from config.pdf import cjk_font
    from dossiers.enterprise.pdf import NAMES_PER_ROW

    call_command("migrate", verbosity=0)
    cjk_font()  # registered once per process, as in a worker
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # The static files are not collected here: plain storage instead of the manifest.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    print(f"database: {connection.vendor}; median of {args.repeat} runs; seconds")
    print(
        f"{'people':>7} {'dossier':>8} {'q':>3} {'page':>7} {'q':>3} {'pdf':>7} "
        f"{'pages':>6} {'rows':>6} {'bare':>7} {'pages':>6}"
    )
    noon = datetime.datetime.combine(TODAY, datetime.time(4), tzinfo=datetime.UTC)
    with time_machine.travel(noon, tick=True), override_settings(STORAGES=storages):
        for count in args.people:
            enterprise, manager = prepare(count)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            built, shown, printed = measure(enterprise, manager, args.repeat)
            file = built[2]
            rows = (
                len(file.roster)
                + len(file.managers)
                + len(file.certification)
                + len(file.duties)
                + len(file.drills)
                + sum(-(-len(s.names) // NAMES_PER_ROW) for s in file.sessions)
                + len(file.issued)
                + len(file.reminders)
            )
            bare = timed(lambda r=rows: bare_pdf(r), max(1, args.repeat // 2))
            print(
                f"{count:>7} {built[0]:>8.3f} {built[1]:>3} {shown[0]:>7.3f} {shown[1]:>3} "
                f"{printed[0]:>7.3f} {pages(printed[2]):>6} {rows:>6} {bare[0]:>7.3f} "
                f"{pages(bare[2]):>6}"
            )
            size = f"{count:,} people, {rows:,} table rows"
            figure(
                issue=22,
                name="enterprise file: dossier (selectors)",
                size=size,
                value=built[0],
                unit=f"s ({built[1]} queries)",
            )
            figure(
                issue=22,
                name="enterprise file: page",
                size=size,
                value=shown[0],
                unit=f"s ({shown[1]} queries)",
                goal="< 2 s",
            )
            figure(
                issue=22,
                name="enterprise file: PDF",
                size=f"{size}, {pages(printed[2])} pages",
                value=printed[0],
                unit="s",
                floor=bare[0],
                floor_name=f"bare reportlab table, same rows, {pages(bare[2])} pages",
            )
    empty()


if __name__ == "__main__":
    main()

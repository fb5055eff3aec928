"""Load scenarios through benchmarks/loadlib.py, against gunicorn + the
configured database + Redis + a Celery worker: the contest spike, a town-wide QR sign-in,
learners' heartbeats and the town office's dashboard.

    .venv/bin/python benchmarks/load_scenarios.py                       # SQLite, all, small sizes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_contest \\
        .venv/bin/python benchmarks/load_scenarios.py --redis redis://127.0.0.1:6379/2
    .venv/bin/python benchmarks/load_scenarios.py --scenario qr --users 500 --spread 30

--users simulated users per scenario (default: each scenario's small size), started at random
moments within --spread seconds:
  contest    public participants join, answer 20 questions (a JSON autosave each) and submit
  qr         people of one town-wide session scan its rotating QR code, twice each (double tap)
  heartbeat  logged-in learners post the player's JSON heartbeats (--requests each)
  dashboard  town-office users open the coverage dashboard (--requests each)
Each prints requests/s, p50 / p95 / p99 / max latency and errors, then the bare Django view with
the same driver and concurrency, and the load average (the machine may be shared). The tables
each scenario fills are emptied first: point it at a database of its own. Not part of CI:
prints figures, asserts nothing.
"""

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from loadlib import (  # noqa: E402
    BENCH_AREA,
    CSRF,
    Stack,
    bare_rate,
    django_setup,
    drive,
    figures_record,
    login_cookie,
    report,
    server_label,
    think,
)

SIZES = {
    "contest": 40,
    "qr": 100,
    "heartbeat": 40,
    "dashboard": 8,
    "homes": 8,
    "imports": 4,
    "exports": 8,
    "printing": 4,
}


def contest_users(args) -> tuple[list, tuple]:
    from contest_load import KINDS, contest_prepare, contest_user

    prepared = contest_prepare()
    return [contest_user(prepared, n, pause=args.think) for n in range(args.users)], KINDS


def qr_users(args) -> tuple[list, tuple]:
    from qr_signin import prepare

    from training.models import TrainingSession
    from training.sessions.services.signin import token_make

    session_id, cookies = prepare(args.users)
    session = TrainingSession.objects.get(pk=session_id)

    def user(cookie):
        def script(client, rng):
            for _tap in range(2):
                path = f"/sessions/scan/{token_make(session=session)}/"
                client.request("scan", "GET", path)

        script.cookie = cookie
        return script

    return [user(cookie) for cookie in cookies], ("scan",)


def heartbeat_users(args) -> tuple[list, tuple]:
    from learning import empty_tables, prepare_heartbeats

    empty_tables()
    prepared = prepare_heartbeats(args.users)

    def user(n, cookie):
        def script(client, rng):
            # The body lesson_player.js sends every LEARNING_HEARTBEAT_SECONDS.
            for seq in range(1, args.requests + 1):
                think(args.think, rng)
                body = {
                    "lesson": prepared["lesson"],
                    "position": seq * 15,
                    "watched": 15,
                    "session": f"load-{n}",
                    "seq": seq,
                }
                client.request("heartbeat", "POST", "/learning/heartbeat/", data=body)

        script.cookie = cookie
        return script

    return [user(n, cookie) for n, cookie in enumerate(prepared["cookies"])], ("heartbeat",)


def enterprises_ensure(count: int) -> None:
    """`count` enterprises of the benchmark's own (one in ten high-risk) beside any already there."""
    from learning import reference_units

    from directory.models import Enterprise

    village, department, general, high = reference_units()
    Enterprise.objects.filter(credit_code__startswith="BENCHLOADDASH").delete()
    Enterprise.objects.bulk_create(
        Enterprise(
            name=f"看板基准企业{n}",
            credit_code=f"BENCHLOADDASH{n:05d}",
            village=village,
            industry=high if n % 10 == 0 else general,
            lead_department=department,
        )
        for n in range(count)
    )


def town_office_cookie(username: str) -> str:
    from directory.constants import AccountRole
    from directory.models import Department, User

    office, _ = Department.objects.get_or_create(name="镇安委办")
    user, _ = User.objects.get_or_create(
        username=username, defaults={"role": AccountRole.TOWN_OFFICE, "department": office}
    )
    return f"{login_cookie(user)}; csrftoken={CSRF}"


def dashboard_users(args) -> tuple[list, tuple]:
    from django.urls import reverse

    enterprises_ensure(args.enterprises)
    snapshot_take()
    cookie = town_office_cookie("bench-load-town")
    url = reverse("coverage:dashboard")

    def script(client, rng):
        for _ in range(args.requests):
            client.request("dashboard", "GET", url)
            think(args.think, rng)

    script.cookie = cookie
    return [script] * args.users, ("dashboard",)


# Drill-downs the officers open (rate metrics of enterprises and of people).
DRILL_CODES = ("drills_held", "training_hours", "principal_training", "special_operator_certified")


def officer_accounts(count: int) -> list:
    """`count` officers of different units: the town office, then department and village
    officers in turn, each of a unit of its own (the units already there first, e.g. a
    seed_scale district's; more made when there are too few)."""
    from directory.constants import AccountRole
    from directory.models import Department, User, Village

    departments = list(Department.objects.order_by("pk")[:count])
    villages = list(Village.objects.order_by("pk")[:count])
    for n in range(len(departments), count // 2 + 1):
        departments.append(Department.objects.get_or_create(name=f"基准部门{n}")[0])
    for n in range(len(villages), count // 2 + 1):
        villages.append(Village.objects.get_or_create(name=f"基准村{n}")[0])
    officers = []
    for n in range(count):
        if n == 0:
            role, unit = AccountRole.TOWN_OFFICE, {"department": departments[0]}
        elif n % 2:
            role, unit = AccountRole.DEPARTMENT_OFFICER, {"department": departments[n // 2]}
        else:
            role, unit = AccountRole.VILLAGE_OFFICER, {"village": villages[n // 2]}
        user, _ = User.objects.update_or_create(
            username=f"bench-officer-{n}", defaults={"role": role, **unit}
        )
        officers.append(user)
    return officers


SNAPSHOT_TAKEN: list[float] = []  # when this run last took it (time.monotonic())


def snapshot_take() -> None:
    """The beat task keeps a snapshot of every metric (REPORTS_SNAPSHOT_MINUTES, 10): dashboards
    read it, and the task renders each officer account's own dashboard from it into the cache.
    Run as the beat runs it; again when this run's is five minutes old (the enterprises the
    scenarios make again are the same, so the counts stay the same in between)."""
    import time

    from reports.tasks import metric_snapshots_refresh_task

    if not SNAPSHOT_TAKEN or time.monotonic() - SNAPSHOT_TAKEN[-1] > 300:
        metric_snapshots_refresh_task()
        SNAPSHOT_TAKEN.append(time.monotonic())


def homes_users(args) -> tuple[list, tuple]:
    """Officers of different units: each opens the role's home (the back office's dashboard),
    the coverage dashboard and one drill-down list, --requests times."""
    from django.urls import reverse

    enterprises_ensure(args.enterprises)
    officers = officer_accounts(args.users)  # before the snapshot, as a deployment has them
    snapshot_take()
    dashboard = reverse("coverage:dashboard")

    def user(n, cookie):
        drill = reverse("coverage:uncovered", args=[DRILL_CODES[n % len(DRILL_CODES)]])

        def script(client, rng):
            for _ in range(args.requests):
                client.request("home", "GET", "/admin/")
                think(args.think, rng)
                client.request("dashboard", "GET", dashboard)
                think(args.think, rng)
                client.request("drill-down", "GET", drill)
                think(args.think, rng)

        script.cookie = f"{cookie}; csrftoken={CSRF}"
        return script

    return [user(n, login_cookie(officer)) for n, officer in enumerate(officers)], (
        "home",
        "dashboard",
        "drill-down",
    )


def timezone_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def jobs_settle(jobs, seconds: float = 120.0) -> None:
    """Wait (up to `seconds`) until the Celery worker has finished the previous step's jobs, so
    that emptying their records does not pull rows from under a job still writing."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not [job for job in jobs.all() if job.active]:
            return
        time.sleep(1)


def imports_users(args) -> tuple[list, tuple]:
    """Town-office users each upload a people CSV (--rows rows), open the job's page and follow
    it while it is checked, confirm it, and follow it while it is written (--requests looks at
    most each time; the Celery worker does the work)."""
    from learning import reference_units

    from directory.demo import credit_code_make, id_number_make
    from directory.importing.resources import PersonResource
    from directory.models import Enterprise, ImportJob, Person

    village, department, general, _high = reference_units()
    code = credit_code_make(900_001, area=BENCH_AREA)
    enterprise, _ = Enterprise.objects.get_or_create(
        credit_code=code,
        defaults={
            "name": "导入基准企业",
            "village": village,
            "industry": general,
            "lead_department": department,
        },
    )
    jobs_settle(ImportJob.objects.filter(uploaded_by__username__startswith="bench-import-"))
    Person.objects.filter(employer=enterprise).delete()
    ImportJob.objects.filter(uploaded_by__username__startswith="bench-import-").delete()
    columns = PersonResource.column_names()

    def csv_of(n: int) -> bytes:
        lines = [",".join(columns)]
        for row in range(args.rows):
            number = 500_000 + n * args.rows + row  # heartbeat 700_000…, QR 800_000…
            values = {
                "姓名": f"导入员工{number}",
                "身份证号": id_number_make(number, area=BENCH_AREA),
                "手机号": f"137{number:08d}",
                "所属企业统一社会信用代码": code,
                "人员类别": "一般从业人员",
                "用工形式": "正式",
                "岗位": "操作工",
                "入职日期": "2021/3/1",
            }
            lines.append(",".join(values.get(column, "") for column in columns))
        return ("\n".join(lines) + "\n").encode()

    def follow(client, rng, path: str) -> bytes:
        body = b""
        for _ in range(args.requests):
            _status, _headers, body = client.request("job", "GET", path)
            if b"reload_while_running" not in body:
                break
            think(args.think, rng)
        return body

    def user(n, cookie):
        def script(client, rng):
            client.request("page", "GET", "/admin/registry/imports/")
            think(args.think, rng)
            _status, headers, _body = client.request(
                "upload",
                "POST",
                "/admin/registry/imports/",
                form={"kind": "people"},
                files={"file": (f"people-{n}.csv", csv_of(n))},
                ok=(302,),
            )
            job = client.location(headers)
            if not job.startswith("/admin/registry/imports/"):
                return
            body = follow(client, rng, job)
            if f"{job}confirm/".encode() in body:
                client.request("confirm", "POST", f"{job}confirm/", form={}, ok=(302,))
                follow(client, rng, job)

        script.cookie = cookie
        return script

    cookies = [town_office_cookie(f"bench-import-{n}") for n in range(args.users)]
    return [user(n, cookie) for n, cookie in enumerate(cookies)], (
        "upload",
        "job",
        "confirm",
    )


def exports_users(args) -> tuple[list, tuple]:
    """Officers of different units each ask for a drill-down list as XLSX --requests times: the
    request starts a worker export, the officer follows its progress (the job page's JSON, up to
    --requests looks) and downloads it once done (through the one export path)."""
    from django.urls import reverse

    enterprises_ensure(args.enterprises)
    officers = officer_accounts(args.users)

    def user(n, cookie):
        url = reverse("coverage:uncovered", args=[DRILL_CODES[n % len(DRILL_CODES)]])

        def script(client, rng):
            for _ in range(args.requests):
                _status, headers, _body = client.request(
                    "export", "GET", f"{url}?format=xlsx", ok=(302,)
                )
                job = client.location(headers)
                think(args.think, rng)
                if not job.startswith("/admin/exports/"):
                    continue
                for _ in range(args.requests):
                    _status, _headers, body = client.request("progress", "GET", f"{job}progress/")
                    if b'"status": "done"' in body or b'"status":"done"' in body:
                        client.request("download", "GET", f"{job}download/", ok=(200, 302))
                        break
                    think(args.think, rng)

        script.cookie = f"{cookie}; csrftoken={CSRF}"
        return script

    return [user(n, login_cookie(officer)) for n, officer in enumerate(officers)], (
        "export",
        "progress",
        "download",
    )


def printing_users(args) -> tuple[list, tuple]:
    """Town-office users each print the certificates of one enterprise (--certificates each) as
    one PDF batch, follow its progress (the page's JSON, --requests looks at most) and download
    it once done (the Celery worker renders it)."""
    import datetime

    from learning import reference_units

    from certificates.models import CertificateBatch, IssuedCertificate
    from certificates.services.issued import certificate_number_allocate
    from directory.demo import id_number_make
    from directory.models import Enterprise, Person

    village, department, general, _high = reference_units()
    jobs_settle(CertificateBatch.objects.filter(created_by__username__startswith="bench-print-"))
    CertificateBatch.objects.filter(created_by__username__startswith="bench-print-").delete()
    IssuedCertificate.objects.filter(
        holder__employer__credit_code__startswith="BENCHPRINT"
    ).delete()
    Person.objects.filter(employer__credit_code__startswith="BENCHPRINT").delete()
    Enterprise.objects.filter(credit_code__startswith="BENCHPRINT").delete()
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"打印基准企业{n}",
            credit_code=f"BENCHPRINT{n:08d}",
            village=village,
            industry=general,
            lead_department=department,
        )
        for n in range(args.users)
    )
    people = Person.objects.bulk_create(
        Person(
            name=f"持证人{n}-{k}",
            id_number=id_number_make(600_000 + n * args.certificates + k, area=BENCH_AREA),
            employer=enterprise,
        )
        for n, enterprise in enumerate(enterprises)
        for k in range(args.certificates)
    )
    IssuedCertificate.objects.bulk_create(
        IssuedCertificate(
            number=certificate_number_allocate(year=2026),
            holder=person,
            title="重大事故隐患判定标准培训",
            kind="officer",
            hours=24,
            issued_on=datetime.date(2026, 3, 20),
        )
        for person in people
    )

    def user(enterprise, cookie):
        def script(client, rng):
            path = f"/admin/certificates/issued/print/?employer={enterprise.pk}"
            client.request("page", "GET", path)
            think(args.think, rng)
            _status, headers, _body = client.request(
                "print", "POST", path, form={"format": "pdf"}, ok=(302,)
            )
            batch = client.location(headers)
            if not batch.startswith("/admin/certificates/issued/batches/"):
                return
            client.request("batch", "GET", batch)
            for _ in range(args.requests):
                think(args.think, rng)
                _status, _headers, body = client.request("progress", "GET", f"{batch}progress/")
                if b'"status": "done"' in body or b'"status":"done"' in body:
                    client.request("download", "GET", f"{batch}download/", ok=(200, 302))
                    break

        script.cookie = cookie
        return script

    cookies = [town_office_cookie(f"bench-print-{n}") for n in range(args.users)]
    return [user(e, c) for e, c in zip(enterprises, cookies, strict=True)], (
        "print",
        "progress",
        "download",
    )


SCENARIOS = {
    "contest": contest_users,
    "qr": qr_users,
    "heartbeat": heartbeat_users,
    "dashboard": dashboard_users,
    "homes": homes_users,
    "imports": imports_users,
    "exports": exports_users,
    "printing": printing_users,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--users", type=int, default=0, help="default: the scenario's small size")
    parser.add_argument("--spread", type=float, default=5.0)
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds between actions")
    parser.add_argument("--requests", type=int, default=10, help="heartbeats / dashboard views")
    parser.add_argument("--enterprises", type=int, default=500, help="dashboard, homes, exports")
    parser.add_argument("--rows", type=int, default=20, help="rows per upload (imports)")
    parser.add_argument("--certificates", type=int, default=10, help="per batch (printing)")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument(
        "--threads", type=int, default=1, help="gthread threads per worker (1: sync workers)"
    )
    parser.add_argument("--redis", default="", help="redis://… as cache and Celery broker")
    parser.add_argument("--no-celery", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    (workdir / "celery").mkdir()
    django_setup(workdir, redis=args.redis)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    print(
        f"database: {connection.vendor}; cache/broker: {args.redis or 'files'}; gunicorn "
        f"{server_label(args.workers, args.threads)}; Celery worker: {'no' if args.no_celery else 'yes'}"
    )
    with Stack.from_args(workdir, args) as stack:
        for name in names:
            size = args.users or SIZES[name]
            scenario_args = argparse.Namespace(**{**vars(args), "users": size})
            users, kinds = SCENARIOS[name](scenario_args)
            result = drive(stack.port, users, spread=args.spread)
            report(f"\n{name}: {size} users within {args.spread:g} s", result, kinds=kinds)
            bare = bare_rate(stack.port, users=size, requests=max(1, len(result.samples) // size))
            report(f"{name}: bare view, same driver and concurrency", bare, kinds=("bare",))
            figures_record(10, f"load: {name}", f"{size} users, {connection.vendor}", result, bare)


if __name__ == "__main__":
    main()

"""Demo sessions for seed_demo: a past fire-safety session with attendance, an upcoming one,
and this year's principals' and inspectors' trainings held so far.

Idempotent and deterministic: sessions are found by title, so a second run writes nothing. The
past session (the demo enterprise's) is marked and confirmed, crediting hours through the ledger;
the upcoming principals' training (经发办's) invites the principals of its enterprises.

The town office held a principals' special training in some of the months gone by (and an
inspectors' centralized training in two of them): the principals of a share of each village's
and department's key enterprises attended one (directory.demo.unit_shares, 30–90 %), as did a
share of each department's inspectors, so the dashboard's trend rises month by month. Each is
invited, marked and confirmed through the session services (hours credited through the ledger).
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from content.models import CriteriaPage
from directory.constants import PersonRole
from directory.demo import SEED, covered_chance, past_months, unit_shares
from directory.models import Department, Person, User, Village
from training.sessions.models.sessions import (
    AttendanceStatus,
    SessionKind,
    SessionMode,
    TrainingSession,
)
from training.sessions.selectors.feeds import inspectors_in_post, key_enterprises
from training.sessions.services.attendance import attendance_mark, session_confirm
from training.sessions.services.roster import session_create

PAST_TITLE = "消防安全与疏散逃生培训"
UPCOMING_TITLE = "主要负责人安全生产专题培训（经发办）"


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _past(manager: User, created: list) -> None:
    if manager is None or TrainingSession.objects.filter(title=PAST_TITLE).exists():
        return
    day = timezone.localdate() - datetime.timedelta(days=21)
    session = session_create(
        user=manager,
        session=TrainingSession(
            kind=SessionKind.FIRE,
            title=PAST_TITLE,
            starts_at=_at(day, 9),
            ends_at=_at(day, 11),
            mode=SessionMode.ON_SITE,
            place="厂区二楼会议室",
            lecturer="青浦区消防救援支队 王教官",
            hours=2,
            audience_enterprise=manager.enterprise,
        ),
    )
    for index, row in enumerate(session.attendances.select_related("session").order_by("pk")):
        if index % 4 == 3:
            attendance_mark(
                user=manager, attendance=row, status=AttendanceStatus.EXCUSED, reason="轮班"
            )
        else:
            status = AttendanceStatus.LATE if index % 5 == 4 else AttendanceStatus.PRESENT
            attendance_mark(user=manager, attendance=row, status=status)
    session_confirm(user=manager, session=session)
    created.append("past")


def _upcoming(officer: User, created: list) -> None:
    if officer is None or TrainingSession.objects.filter(title=UPCOMING_TITLE).exists():
        return
    day = timezone.localdate() + datetime.timedelta(days=14)
    session = session_create(
        user=officer,
        session=TrainingSession(
            kind=SessionKind.PRINCIPAL,
            title=UPCOMING_TITLE,
            starts_at=_at(day, 14),
            ends_at=_at(day, 17),
            mode=SessionMode.HYBRID,
            place="徐泾镇政府三楼会议室",
            lecturer="镇安委办",
            hours=3,
            audience_role=PersonRole.PRINCIPAL,
            admit_uninvited=True,
        ),
    )
    session.materials.set(CriteriaPage.objects.live()[:3])
    created.append("upcoming")


def held_title(kind: str, year: int, month: int) -> str:
    label = "主要负责人安全生产专题培训" if kind == SessionKind.PRINCIPAL else "监管人员集中培训"
    return f"{year}年{month}月{label}"


def _held(
    officer: User,
    kind: str,
    month_people: dict[int, list[int]],
    today: datetime.date,
    created: list,
) -> None:
    """One session of the kind in each month with attendees, held on a day gone by."""
    for month, person_ids in sorted(month_people.items()):
        title = held_title(kind, today.year, month)
        if not person_ids or TrainingSession.objects.filter(title=title).exists():
            continue
        day = min(datetime.date(today.year, month, 16), today - datetime.timedelta(days=1))
        if day.year != today.year:
            continue  # the 1st of January: nothing held yet this year
        session = session_create(
            user=officer,
            session=TrainingSession(
                kind=kind,
                title=title,
                starts_at=_at(day, 9),
                ends_at=_at(day, 12),
                mode=SessionMode.ON_SITE,
                place="徐泾镇政府三楼会议室",
                lecturer="镇安委办",
                hours=3,
            ),
            people=list(Person.objects.filter(pk__in=person_ids)),
        )
        session.attendances.update(
            status=AttendanceStatus.PRESENT, signed_in_at=session.starts_at, marked_by=officer
        )
        session_confirm(user=officer, session=session)
        created.append(title)


def _months_of(
    rng: random.Random, rows: list[tuple], villages: dict, departments: dict, months: list[int]
) -> dict[int, list[int]]:
    """Who attended in which month: each row (person, village, department) by its units' chance."""
    chosen: dict[int, list[int]] = {month: [] for month in months}
    for person_id, village, department in rows:
        chance = covered_chance(villages.get(village), departments.get(department))
        month = rng.choice(months)
        if person_id is not None and rng.random() < chance:
            chosen[month].append(person_id)
    return chosen


def _this_year(officer: User, today: datetime.date, created: list) -> None:
    months = past_months(today)
    # Principals' trainings every other month (the last gone by included); inspectors' twice.
    principal_months = months[::-2][::-1] if len(months) > 1 else months
    inspector_months = sorted({months[0], months[len(months) // 2]})
    villages = unit_shares(
        "principals:village", list(Village.objects.values_list("name", flat=True))
    )
    departments = unit_shares(
        "principals:department", list(Department.objects.values_list("name", flat=True))
    )
    principals = (
        key_enterprises()
        .order_by("credit_code")
        .values_list("principal_id", "village__name", "lead_department__name")
    )
    rng = random.Random(f"{SEED}:principals:{today.year}")
    _held(
        officer,
        SessionKind.PRINCIPAL,
        _months_of(rng, list(principals), villages, departments, principal_months),
        today,
        created,
    )
    inspector_shares = unit_shares(
        "inspectors:department", list(Department.objects.values_list("name", flat=True))
    )
    by_department: dict[str, list[int]] = {}
    for pk, department in (
        inspectors_in_post().order_by("id_number").values_list("pk", "department__name")
    ):
        by_department.setdefault(department, []).append(pk)
    rng = random.Random(f"{SEED}:inspectors:{today.year}")
    chosen: dict[int, list[int]] = {month: [] for month in inspector_months}
    for department, pks in sorted(by_department.items(), key=lambda kv: kv[0] or ""):
        # A department's share of its few inspectors, rounded, yet never none or all of two
        # or more (a department of two shows one trained).
        count = round(inspector_shares.get(department, 0.5) * len(pks))
        if len(pks) > 1:
            count = min(max(count, 1), len(pks) - 1)
        for pk in rng.sample(pks, count):
            chosen[rng.choice(inspector_months)].append(pk)
    _held(officer, SessionKind.INSPECTORS, chosen, today, created)


def sessions_seed(*, stdout, today: datetime.date | None = None) -> None:
    created: list[str] = []
    today = today or timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=["manager", "dept", "town"])}
    with transaction.atomic():
        _past(users.get("manager"), created)
        _upcoming(users.get("dept"), created)
        if users.get("town"):
            _this_year(users["town"], today, created)
    if created:
        stdout.write(f"Sessions: {len(created)} training sessions added.")

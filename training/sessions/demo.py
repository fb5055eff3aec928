"""Demo sessions for seed_demo: a past fire-safety session with attendance, an upcoming one.

Idempotent and deterministic: sessions are found by title, so a second run writes nothing. The
past session (the demo enterprise's) is marked and confirmed, crediting hours through the ledger;
the upcoming principals' training (经发办's) invites the principals of its enterprises.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from content.models import CriteriaPage
from directory.constants import PersonRole
from directory.models import User
from training.sessions.models.sessions import (
    AttendanceStatus,
    SessionKind,
    SessionMode,
    TrainingSession,
)
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


def sessions_seed(*, stdout) -> None:
    created: list[str] = []
    users = {u.username: u for u in User.objects.filter(username__in=["manager", "dept"])}
    with transaction.atomic():
        _past(users.get("manager"), created)
        _upcoming(users.get("dept"), created)
    if created:
        stdout.write(f"Sessions: {len(created)} training sessions added.")

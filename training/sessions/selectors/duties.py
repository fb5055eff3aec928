"""The town leaders' own duties (plan item 一(一)1), read from the sessions of their kinds: the
理论学习中心组 studies work safety at least once a year; the principal leaders hold a safety
meeting at least once a quarter. Each period is done (a session of the kind held in it — started
by now), due (not yet held, the period still running) or overdue (the period over, none held).
Periods not yet begun are not listed. One query whatever the year."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.constants import AccountRole
from directory.models import User
from directory.scoping import account_role
from training.sessions.models.sessions import SessionKind, TrainingSession


class DutyStatus(models.TextChoices):
    DONE = "done", _("Done")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")


@dataclass
class DutyPeriod:
    kind: str
    label: str
    starts: datetime.date
    deadline: datetime.date
    held: list[TrainingSession] = field(default_factory=list)
    status: str = DutyStatus.DUE

    @property
    def kind_label(self) -> str:
        return str(SessionKind(self.kind).label)

    @property
    def status_label(self) -> str:
        return str(DutyStatus(self.status).label)


def _periods(year: int) -> list[DutyPeriod]:
    periods = [
        DutyPeriod(
            SessionKind.CENTRE_GROUP,
            f"{year}年",
            datetime.date(year, 1, 1),
            datetime.date(year, 12, 31),
        )
    ]
    for quarter in range(4):
        starts = datetime.date(year, 3 * quarter + 1, 1)
        ends = (
            datetime.date(year + 1, 1, 1)
            if quarter == 3
            else datetime.date(year, 3 * quarter + 4, 1)
        ) - datetime.timedelta(days=1)
        periods.append(
            DutyPeriod(SessionKind.LEADERS_MEETING, f"{year}年第{quarter + 1}季度", starts, ends)
        )
    return periods


def sees_leaders_duties(user: User) -> bool:
    """The town leaders' duties are the town office's to show (it keeps their sessions)."""
    return account_role(user) == AccountRole.TOWN_OFFICE


def leaders_duties(
    *, user: User, year: int, now: datetime.datetime | None = None
) -> list[DutyPeriod]:
    """Each begun period of `year` with the sessions held in it and its status."""
    if not sees_leaders_duties(user):
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    periods = [p for p in _periods(year) if p.starts <= today]
    if not periods:
        return []
    sessions = TrainingSession.objects.filter(
        kind__in=[SessionKind.CENTRE_GROUP, SessionKind.LEADERS_MEETING],
        starts_at__year=year,
        starts_at__lte=now,
    ).order_by("starts_at")
    for session in sessions:
        day = timezone.localdate(session.starts_at)
        for period in periods:
            if period.kind == session.kind and period.starts <= day <= period.deadline:
                period.held.append(session)
    for period in periods:
        if period.held:
            period.status = DutyStatus.DONE
        elif period.deadline < today:
            period.status = DutyStatus.OVERDUE
        else:
            period.status = DutyStatus.DUE
    return periods


def leaders_duties_open(*, user: User, now: datetime.datetime | None = None) -> int:
    """The periods of this year not done yet (due or overdue): the town office's home line."""
    now = now or timezone.now()
    return sum(
        p.status != DutyStatus.DONE
        for p in leaders_duties(user=user, year=timezone.localdate(now).year, now=now)
    )

"""Sessions for tests: one organised by a unit of a side of the town, inviting that side's person."""

import datetime
from decimal import Decimal

from django.utils import timezone

from directory.constants import AccountRole
from training.models import Attendance, SessionKind, TrainingSession

START = timezone.make_aware(datetime.datetime(2026, 5, 12, 9, 0))


def make_session(town, accounts, *, organiser="dept", side="a", **fields) -> TrainingSession:
    """A session organised by side's department, enterprise or the town, inviting side's person."""
    units = {
        "dept": {"organiser_department": town[f"dept_{side}"]},
        "enterprise": {"organiser_enterprise": town[f"ent_{side}"]},
        "town": {},
    }
    values = {
        "kind": SessionKind.PRINCIPAL,
        "title": f"培训班{side}",
        "starts_at": START,
        "ends_at": START + datetime.timedelta(hours=3),
        "place": "镇政府三楼会议室",
        "hours": Decimal("4.0"),
        "created_by": accounts[AccountRole.TOWN_OFFICE],
        **units[organiser],
        **fields,
    }
    session = TrainingSession.objects.create(**values)
    Attendance.objects.create(session=session, person=town[f"person_{side}"])
    return session

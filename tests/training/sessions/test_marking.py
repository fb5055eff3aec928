"""Manual marks with reasons, and confirmation writing each attendee's ledger entry once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from directory.constants import AccountRole
from tests.factories import PersonFactory
from tests.factories.sessions import TrainingSessionFactory
from training.models import AttendanceStatus, HourSource, StudyHourEntry
from training.sessions.services.attendance import attendance_mark, session_confirm
from training.sessions.services.signin import attendance_scan

R = AccountRole


@pytest.fixture
def session(town, accounts):
    session = TrainingSessionFactory(
        organiser_department=town["dept_a"], invitees=[town["person_a"]]
    )
    for name in ("周八", "吴九", "郑十"):
        session.attendances.create(person=PersonFactory(name=name, employer=town["ent_a"]))
    return session


def _row(session, name):
    return session.attendances.select_related("session", "person").get(person__name=name)


def test_marks_need_reasons_for_absence(accounts, session):
    officer = accounts[R.DEPARTMENT_OFFICER]
    with pytest.raises(ValidationError, match="原因"):
        attendance_mark(user=officer, attendance=_row(session, "吴九"), status="absent")
    row = attendance_mark(
        user=officer, attendance=_row(session, "吴九"), status="excused", reason="出差"
    )
    assert row.reason == "出差" and row.marked_by == officer
    with pytest.raises(PermissionDenied):
        attendance_mark(user=accounts[R.ENTERPRISE_MANAGER], attendance=row, status="present")


def test_confirmation_credits_attendees_once(town, accounts, session):
    officer = accounts[R.DEPARTMENT_OFFICER]
    attendance_scan(person=town["person_a"], session=session, purpose="in", at=session.starts_at)
    attendance_mark(user=officer, attendance=_row(session, "周八"), status="late", reason="堵车")
    attendance_mark(user=officer, attendance=_row(session, "郑十"), status="excused", reason="病假")
    assert session_confirm(user=officer, session=session) == 2
    entries = StudyHourEntry.objects.filter(source=HourSource.OFFLINE_SESSION)
    assert sorted(entries.values_list("person__name", flat=True)) == ["周八", "张三"]
    entry = entries.get(person=town["person_a"])
    assert entry.hours == Decimal("4.0") and entry.training_name == session.title
    assert entry.date == datetime.date(2026, 5, 12) and entry.confirmed_by == officer
    assert _row(session, "吴九").status == AttendanceStatus.ABSENT
    # A second confirmation, or a late mark, changes nothing.
    with pytest.raises(ValidationError, match="已确认"):
        session_confirm(user=officer, session=session)
    with pytest.raises(ValidationError):
        attendance_mark(user=officer, attendance=_row(session, "吴九"), status="present")
    assert entries.count() == 2


def test_roster_screen_marks_and_confirms(client, town, accounts, session):
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    row = _row(session, "周八")
    page = client.get(reverse("session_roster", args=[session.pk])).content.decode()
    assert reverse("session_mark", args=[session.pk, row.pk]) in page
    client.post(reverse("session_mark", args=[session.pk, row.pk]), {"status": "present"})
    row.refresh_from_db()
    assert row.status == AttendanceStatus.PRESENT and row.method == "manual"
    response = client.post(reverse("session_confirm", args=[session.pk]), follow=True)
    assert "1 人" in response.content.decode()
    assert StudyHourEntry.objects.get().person == row.person
    # Others whose people attend cannot mark or confirm.
    client.force_login(accounts[R.ENTERPRISE_MANAGER])
    assert client.post(reverse("session_confirm", args=[session.pk])).status_code == 404

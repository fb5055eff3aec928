"""QR sign-in: rotating tokens, one sign-in per person, uninvited people, sign-out, the screens."""

import datetime
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from tests.factories import PersonFactory, UserFactory
from tests.factories.sessions import TrainingSessionFactory
from training.models import Attendance, AttendanceStatus
from training.sessions.services.signin import (
    OUT,
    SLOT_SECONDS,
    attendance_scan,
    current_slot,
    hours_for,
    token_make,
    token_read,
)

R = AccountRole


@pytest.fixture
def live_session(town, accounts):
    """A session that started five minutes ago, inviting the learner (張三 of side a)."""
    start = timezone.now() - datetime.timedelta(minutes=5)
    return TrainingSessionFactory(
        organiser_department=town["dept_a"],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        invitees=[town["person_a"]],
    )


def test_token_valid_in_its_slot_and_the_next_only(live_session):
    now = time.time()
    slot = current_slot(now)
    token = token_make(session=live_session, slot=slot)
    assert token_read(token, now=now).session_id == live_session.pk
    assert token_read(token, now=now + SLOT_SECONDS).purpose == "in"
    with pytest.raises(ValidationError, match="已过期"):
        token_read(token, now=now + 2 * SLOT_SECONDS)
    with pytest.raises(ValidationError):
        token_read(token[:-2] + "xx", now=now)
    # A token of an old slot, even freshly signed, is refused.
    with pytest.raises(ValidationError):
        token_read(token_make(session=live_session, slot=slot - 3), now=now)


def test_scan_logs_in_then_signs_in_once(client, town, accounts, live_session):
    url = reverse("sessions:scan", args=[token_make(session=live_session)])
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(accounts[R.LEARNER])
    first = client.get(url)
    assert first.status_code == 200 and "签到成功" in first.content.decode()
    second = client.get(url)
    assert "已签到" in second.content.decode()
    row = Attendance.objects.get(session=live_session, person=town["person_a"])
    assert row.status == AttendanceStatus.PRESENT and row.method == "qr"


def test_code_scanned_before_login_survives_a_slow_login(client, accounts, live_session):
    token = token_make(session=live_session, slot=current_slot() - 1)
    url = reverse("sessions:scan", args=[token])
    client.get(url)
    session = client.session
    pending = session["session_scan"]
    pending["at"] = time.time()
    session.save()
    # The slot passes while the learner types the password; the remembered scan still counts.
    client.force_login(accounts[R.LEARNER])
    later = token_make(session=live_session, slot=current_slot() - 5)
    assert client.get(reverse("sessions:scan", args=[later])).status_code == 400
    assert client.get(url).status_code == 200


def test_forwarded_old_code_is_refused(client, accounts, live_session):
    client.force_login(accounts[R.LEARNER])
    old = token_make(session=live_session, slot=current_slot() - 2)
    response = client.get(reverse("sessions:scan", args=[old]))
    assert response.status_code == 400 and "已过期" in response.content.decode()
    assert not Attendance.objects.filter(signed_in_at__isnull=False).exists()


def test_uninvited_refused_or_admitted_per_setting(town, live_session):
    stranger = PersonFactory(name="孙七", employer=town["ent_b"])
    with pytest.raises(PermissionDenied):
        attendance_scan(person=stranger, session=live_session, purpose="in")
    live_session.admit_uninvited = True
    live_session.save()
    result = attendance_scan(person=stranger, session=live_session, purpose="in")
    assert result.done and not result.attendance.invited
    assert not attendance_scan(person=stranger, session=live_session, purpose="in").done


def test_late_and_closed_sessions(town, live_session):
    person = town["person_a"]
    late = live_session.starts_at + datetime.timedelta(minutes=30)
    result = attendance_scan(person=person, session=live_session, purpose="in", at=late)
    assert result.attendance.status == AttendanceStatus.LATE
    with pytest.raises(ValidationError, match="未开放"):
        attendance_scan(
            person=person,
            session=live_session,
            purpose="in",
            at=live_session.ends_at + datetime.timedelta(hours=3),
        )


def test_sign_out_makes_hours_follow_time_present(town, live_session):
    person = town["person_a"]
    live_session.sign_out_enabled = True
    live_session.save()
    with pytest.raises(ValidationError, match="先签到"):
        attendance_scan(person=person, session=live_session, purpose=OUT)
    attendance_scan(person=person, session=live_session, purpose="in", at=live_session.starts_at)
    half = live_session.starts_at + (live_session.ends_at - live_session.starts_at) / 2
    result = attendance_scan(person=person, session=live_session, purpose=OUT, at=half)
    assert result.done
    assert hours_for(result.attendance) == Decimal("2.0")  # half of 4.0
    assert not attendance_scan(person=person, session=live_session, purpose=OUT, at=half).done


def test_organiser_qr_screen_and_feed(client, town, accounts, live_session):
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    page = client.get(reverse("session_qr", args=[live_session.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "training/sessions/qr.js" in html and "<script>" not in html
    data = client.get(reverse("session_qr_json", args=[live_session.pk])).json()
    assert data["slot"] == current_slot() and "/sessions/scan/" in data["url"]
    token = data["url"].rstrip("/").rsplit("/", 1)[1]
    assert token_read(token).session_id == live_session.pk
    # Only the organiser shows the code.
    client.force_login(accounts[R.VILLAGE_OFFICER])
    assert client.get(reverse("session_qr_json", args=[live_session.pk])).status_code == 404


def test_unlinked_account_is_told(client, live_session):
    client.force_login(UserFactory(username="nobody", role=R.LEARNER))
    response = client.get(reverse("sessions:scan", args=[token_make(session=live_session)]))
    assert response.status_code == 403

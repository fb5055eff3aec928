"""QR sign-in and sign-out at an offline session: rotating signed tokens, and one mark per person.

The organiser's screen shows a code for the current time slot (SLOT_SECONDS long). A token names
the session, the slot and whether it signs in or out, signed with the site's key; it is accepted
in its own slot and the next one only, so a photographed or forwarded code stops working within
a minute. The database's unique (session, person) row and a conditional UPDATE keep one sign-in
per person however many times, or from however many phones, the code is scanned.
"""

import datetime
import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Person
from training.sessions.models.sessions import (
    Attendance,
    AttendanceStatus,
    SignInMethod,
    TrainingSession,
)

SLOT_SECONDS = 30
SALT = "training.sessions.signin"
IN, OUT = "in", "out"
# Signing in later than this after the start counts as late.
LATE_AFTER = datetime.timedelta(minutes=15)
# Codes work from this long before the start until this long after the end.
OPEN_BEFORE = datetime.timedelta(hours=1)
OPEN_AFTER = datetime.timedelta(hours=1)


def current_slot(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // SLOT_SECONDS)


def token_make(*, session: TrainingSession, purpose: str = IN, slot: int | None = None) -> str:
    slot = current_slot() if slot is None else slot
    return signing.TimestampSigner(salt=SALT).sign(f"{session.pk}.{slot}.{purpose}")


@dataclass(frozen=True)
class ScanToken:
    session_id: int
    purpose: str


def token_read(token: str, *, now: float | None = None) -> ScanToken:
    """The session and purpose of a token still valid (this slot or the previous one)."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token, max_age=2 * SLOT_SECONDS)
        session_id, slot, purpose = value.split(".")
        session_id, slot = int(session_id), int(slot)
    except (signing.BadSignature, ValueError) as error:
        raise ValidationError(
            _("This code has expired. Scan the code on the screen again.")
        ) from error
    if current_slot(now) - slot not in (0, 1) or purpose not in (IN, OUT):
        raise ValidationError(_("This code has expired. Scan the code on the screen again."))
    return ScanToken(session_id=session_id, purpose=purpose)


@dataclass(frozen=True)
class ScanResult:
    attendance: Attendance
    done: bool  # False: the person had already signed in (or out) before


def _check_open(session: TrainingSession, at: datetime.datetime) -> None:
    if session.confirmed_at:
        raise ValidationError(_("Attendance of this session has been confirmed."))
    if not session.starts_at - OPEN_BEFORE <= at <= session.ends_at + OPEN_AFTER:
        raise ValidationError(_("Sign-in is not open for this session now."))


def attendance_scan(
    *, person: Person, session: TrainingSession, purpose: str, at: datetime.datetime | None = None
) -> ScanResult:
    """Sign a person in (or out) by QR; a second scan changes nothing and says so."""
    at = at or timezone.now()
    _check_open(session, at)
    if purpose == OUT:
        return _sign_out(person=person, session=session, at=at)
    status = (
        AttendanceStatus.LATE if at > session.starts_at + LATE_AFTER else AttendanceStatus.PRESENT
    )
    fields = {"status": status, "signed_in_at": at, "method": SignInMethod.QR}
    rows = Attendance.objects.filter(session=session, person=person)
    # One statement: of two scans at once only one finds signed_in_at still empty.
    if rows.filter(signed_in_at__isnull=True).update(**fields):
        return ScanResult(attendance=rows.get(), done=True)
    existing = rows.first()
    if existing is not None:
        return ScanResult(attendance=existing, done=False)
    if not session.admit_uninvited:
        raise PermissionDenied(_("You are not on the roster of this session."))
    try:
        with transaction.atomic():
            row = Attendance.objects.create(session=session, person=person, invited=False, **fields)
    except IntegrityError:
        return ScanResult(attendance=rows.get(), done=False)
    return ScanResult(attendance=row, done=True)


def _sign_out(*, person: Person, session: TrainingSession, at: datetime.datetime) -> ScanResult:
    if not session.sign_out_enabled:
        raise ValidationError(_("This session has no sign-out."))
    rows = Attendance.objects.filter(session=session, person=person)
    if rows.filter(signed_in_at__isnull=False, signed_out_at__isnull=True).update(signed_out_at=at):
        return ScanResult(attendance=rows.get(), done=True)
    row = rows.first()
    if row is None or row.signed_in_at is None:
        raise ValidationError(_("Sign in first."))
    return ScanResult(attendance=row, done=False)


def hours_for(attendance: Attendance) -> Decimal:
    """Hours a present person is credited: the session's, or in proportion to time present.

    With sign-out on, the time between sign-in (at the start at the earliest) and sign-out (at the
    end at the latest) over the session's length, rounded to 0.1 hour; no sign-out, no hours.
    """
    session = attendance.session
    if not session.sign_out_enabled:
        return session.hours
    if not (attendance.signed_in_at and attendance.signed_out_at):
        return Decimal("0")
    start = max(attendance.signed_in_at, session.starts_at)
    end = min(attendance.signed_out_at, session.ends_at)
    share = max((end - start) / (session.ends_at - session.starts_at), 0)
    hours = session.hours * Decimal(str(min(share, 1)))
    return hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

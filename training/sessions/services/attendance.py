"""The organiser's side of attendance: marking by hand, and confirming, which credits the hours."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import User
from training.learning.services.ledger import ledger_session_credit
from training.sessions.models.sessions import (
    ATTENDED,
    Attendance,
    AttendanceStatus,
    SessionKind,
    SignInMethod,
    TrainingSession,
)
from training.sessions.services.roster import session_organiser_check
from training.sessions.services.signin import hours_for

# Marks that must say why.
NEEDS_REASON = (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED)


@transaction.atomic
def attendance_mark(
    *, user: User, attendance: Attendance, status: str, reason: str = ""
) -> Attendance:
    """Set a person's attendance by hand (present / late / absent / excused), before confirmation."""
    session = attendance.session
    session_organiser_check(user, session)
    if session.confirmed_at:
        raise ValidationError(_("Attendance of this session has been confirmed."))
    if status not in AttendanceStatus.values or status == AttendanceStatus.INVITED:
        raise ValidationError({"status": _("Choose present, late, absent or excused.")})
    reason = reason.strip()
    if status in NEEDS_REASON and not reason:
        raise ValidationError({"reason": _("Give the reason for an absence or excuse.")})
    attendance.status = status
    attendance.reason = reason
    attendance.marked_by = user
    if status in ATTENDED and attendance.signed_in_at is None:
        attendance.signed_in_at = max(min(timezone.now(), session.ends_at), session.starts_at)
        attendance.method = SignInMethod.MANUAL
    attendance.save()
    return attendance


@transaction.atomic
def session_confirm(*, user: User, session: TrainingSession) -> int:
    """Close the roster: the present and late get their hours in the ledger, once; returns how many.

    Whoever is still only invited is marked absent. The session row is locked, so two organisers
    confirming at once credit nobody twice.
    """
    session_organiser_check(user, session)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.confirmed_at:
        raise ValidationError(_("Attendance of this session has been confirmed."))
    session.attendances.filter(status=AttendanceStatus.INVITED).update(
        status=AttendanceStatus.ABSENT
    )
    credited = 0
    rows = session.attendances.filter(status__in=ATTENDED, ledger_entry__isnull=True)
    for row in rows.select_related("person", "session"):
        hours = hours_for(row)
        if hours <= 0:
            continue
        row.ledger_entry = ledger_session_credit(
            user=user,
            person=row.person,
            hours=hours,
            date=timezone.localdate(session.starts_at),
            training_name=session.title,
            training_type=session.get_kind_display(),
            organisation=session.organiser_label,
            fire_safety=session.kind == SessionKind.FIRE,
        )
        row.save(update_fields=["ledger_entry"])
        credited += 1
    session.confirmed_at = timezone.now()
    session.confirmed_by = user
    session.save(update_fields=["confirmed_at", "confirmed_by"])
    return credited

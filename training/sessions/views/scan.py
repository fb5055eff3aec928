"""The learner's end of QR sign-in: scan, log in if needed, and see the outcome on the phone."""

import time

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from directory.selectors import person_for_user
from training.sessions.models.sessions import TrainingSession
from training.sessions.services.signin import ScanToken, attendance_scan, token_read

# A code scanned before logging in stays good this long, so logging in on a phone may take time.
PENDING_KEY = "session_scan"
PENDING_SECONDS = 300


def _token(request, token: str) -> ScanToken:
    """The valid token, or the one this browser scanned (still valid) before logging in."""
    try:
        return token_read(token)
    except ValidationError:
        pending = request.session.get(PENDING_KEY) or {}
        if pending.get("token") == token and time.time() - pending.get("at", 0) < PENDING_SECONDS:
            return ScanToken(session_id=pending["session"], purpose=pending["purpose"])
        raise


def _page(request, status: int, **context):
    return render(request, "training/sessions/scan.html", context, status=status)


def scan(request, token: str):
    try:
        scanned = _token(request, token)
    except ValidationError as error:
        return _page(request, 400, error=error.messages[0])
    if not request.user.is_authenticated:
        request.session[PENDING_KEY] = {
            "token": token,
            "session": scanned.session_id,
            "purpose": scanned.purpose,
            "at": time.time(),
        }
        return redirect_to_login(request.get_full_path())
    person = person_for_user(request.user)
    session = TrainingSession.objects.filter(pk=scanned.session_id).first()
    if person is None or session is None:
        return _page(
            request, 403, error=_("Your account is not linked to a person in the registry.")
        )
    try:
        result = attendance_scan(person=person, session=session, purpose=scanned.purpose)
    except (ValidationError, PermissionDenied) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else str(error)
        return _page(request, 403, error=message, session=session)
    request.session.pop(PENDING_KEY, None)
    return _page(request, 200, result=result, session=session, purpose=scanned.purpose)

"""Front office of online learning: the player's heartbeats and presence answers (JSON), enrolment and "My learning"."""

import json
import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.csp import data_policy
from content.models import CoursePage, LessonPage
from directory.files import private_page
from directory.selectors import person_for_user
from training.learning.selectors.dashboard import learner_dashboard
from training.learning.services import beats
from training.learning.services.assignments import enrolment_join
from training.learning.services.study import lesson_heartbeat, presence_answer
from training.learning.services.study_sql import lesson_heartbeat_quick


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _payload(request) -> dict | None:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _learner(request):
    """The registry person of the logged-in account, or an error response."""
    if not request.user.is_authenticated:
        return None, _error(_("Log in to have your study hours counted."), 403)
    person = person_for_user(request.user)
    if person is None:
        return None, _error(_("Your account is not linked to a person in the registry."), 403)
    return person, None


def _report(data: dict | None) -> dict | None:
    """The heartbeat's fields, checked, or None when the report is malformed."""
    try:
        report = {
            "lesson_id": int(data["lesson"]),
            "position": float(data.get("position", 0)),
            "watched": float(data.get("watched", 0)),
            "seq": int(data.get("seq", 0)),
            "session": str(data.get("session", "")),
        }
    except (TypeError, KeyError, ValueError):
        return None
    numbers = (report["position"], report["watched"])
    if not all(math.isfinite(x) and abs(x) < 1e7 for x in numbers) or report["seq"] < 0:
        return None
    return report


# (account id, session auth hash) -> the password hash that session hash was checked against,
# in this process. The everyday heartbeat then does not load the account: its one statement
# checks that the account is active and its password hash unchanged (study_sql), which is what
# reading request.user checks. Bounded: emptied when full (the next report of each login reads
# the account once more).
_VERIFIED_LOGINS: dict[tuple[int, str], str] = {}
_VERIFIED_LOGINS_MAX = 20_000


def _session_account(request) -> tuple[int, str] | None:
    """(account id, password hash) of the session's login, if this process verified it before."""
    session = request.session
    try:
        key = (int(session[SESSION_KEY]), str(session[HASH_SESSION_KEY]))
    except (KeyError, TypeError, ValueError):
        return None
    if session.get(BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return None
    password = _VERIFIED_LOGINS.get(key)
    return (key[0], password) if password is not None else None


def _verified_account(request) -> tuple[int, str] | None:
    """(account id, password hash) read the usual way (request.user verifies the session), kept
    for the next reports; None when nobody is logged in."""
    user = request.user
    if not user.is_authenticated:
        return None
    session_hash = request.session.get(HASH_SESSION_KEY)
    if session_hash and constant_time_compare(session_hash, user.get_session_auth_hash()):
        if len(_VERIFIED_LOGINS) >= _VERIFIED_LOGINS_MAX:
            _VERIFIED_LOGINS.clear()
        _VERIFIED_LOGINS[(user.pk, session_hash)] = user.password
    return user.pk, user.password


@require_POST
@data_policy
def heartbeat(request):
    report = _report(_payload(request))
    now = timezone.now()
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if report is not None and beats.enabled():
        # The everyday report in Redis (services/beats), the login and the account checked in
        # the same call; None leaves it to the database path, which reads the login the usual
        # way and lets the session's next reports go to Redis.
        result = beats.beat(session_key=session_key, report=report, now=now)
        if result is not None:
            return JsonResponse(result.as_json())
    elif report is not None:
        # Without Redis, the everyday report in one statement (PostgreSQL), the account checked
        # in it; None leaves it to the general path.
        account = _session_account(request) or _verified_account(request)
        if account is None:
            return _learner(request)[1]
        account_id, password = account
        result = lesson_heartbeat_quick(account_id=account_id, password=password, now=now, **report)
        if result is not None:
            return JsonResponse(result.as_json())
    person, error = _learner(request)
    if error:
        return error
    if report is None:
        return _error(_("Malformed report."), 400)
    lesson_id = report.pop("lesson_id")
    generation = beats.content_generation()  # before the lesson is read (beats.seed)
    lesson = get_object_or_404(LessonPage.objects.live().select_related("video"), pk=lesson_id)
    try:
        result = lesson_heartbeat(
            person=person, lesson=lesson, now=now, generation=generation, **report
        )
    except PermissionDenied as denied:
        return _error(str(denied), 403)
    beats.login_remember(
        session_key=request.session.session_key,
        user=request.user,
        person=person,
        expiry_seconds=request.session.get_expiry_age(),
    )
    return JsonResponse(result.as_json())


@require_POST
@data_policy
def presence(request):
    person, error = _learner(request)
    if error:
        return error
    data = _payload(request) or {}
    try:
        presence_answer(person=person, answer=str(data.get("answer", "")))
    except ValidationError as invalid:
        return _error(" ".join(invalid.messages), 400)
    return JsonResponse({"ok": True})


@login_required
@private_page
def my_learning(request):
    """我的学习: assigned and enrolled courses, where to continue, this year's hours, history."""
    person = person_for_user(request.user)
    context = {"person": person}
    if person is not None:
        context.update(learner_dashboard(person=person, today=timezone.localdate()))
    return render(request, "training/learning/my_learning.html", context)


@login_required
@require_POST
def enrol(request, course_id: int):
    person = person_for_user(request.user)
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    if person is None:
        raise PermissionDenied
    enrolment_join(person=person, course=course)
    messages.success(request, _("You are enrolled in %(course)s.") % {"course": course.title})
    return redirect(course.url)

"""The browser that joined a contest holds its participant: a signed, script-unreadable cookie
listing the participant ids joined from it. Knowing a participant's phone number or id gives
nothing; only this cookie (or the registry account of a person who joined as themself) does."""

import datetime

from django.conf import settings
from django.core import signing
from django.db.models import Max
from django.utils import timezone

COOKIE_NAME = "contest_participants"
SALT = "training.contest.participants"
# Enough for a household sharing a browser across a few contests; the oldest ids drop off.
MAX_IDS = 20
# The results stay reachable this long after the contest closes.
KEPT_AFTER_CLOSE = datetime.timedelta(days=30)


def participant_ids_held(request) -> list[int]:
    """The participant ids this browser joined with (none if the cookie is absent or forged)."""
    try:
        value = request.get_signed_cookie(COOKIE_NAME, salt=SALT)
    except (KeyError, signing.BadSignature):
        return []
    return [int(part) for part in value.split(".") if part.isdigit()]


def participant_hold(request, response, *, participant) -> None:
    """Add the participant to the browser's cookie (httponly, SameSite=Lax, Secure in
    production), kept until the last of its contests has been closed for KEPT_AFTER_CLOSE."""
    from training.exams.models.papers import Exam

    ids = [pk for pk in participant_ids_held(request) if pk != participant.pk]
    ids = [*ids, participant.pk][-MAX_IDS:]
    last_close = Exam.objects.filter(participants__pk__in=ids).aggregate(last=Max("closes_at"))
    expires = max(participant.exam.closes_at, last_close["last"]) + KEPT_AFTER_CLOSE
    response.set_signed_cookie(
        COOKIE_NAME,
        ".".join(str(pk) for pk in ids),
        salt=SALT,
        max_age=max(0, int((expires - timezone.now()).total_seconds())),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )

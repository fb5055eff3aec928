"""The organiser's QR screen: a code that rotates every SLOT_SECONDS, fetched as JSON by a static script."""

import segno
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from training.sessions.selectors.scoping import sessions_editable_by
from training.sessions.services.signin import IN, OUT, SLOT_SECONDS, current_slot, token_make


def _purpose(request, session) -> str:
    return OUT if request.GET.get("purpose") == OUT and session.sign_out_enabled else IN


def session_qr(request, pk: int):
    session = get_object_or_404(sessions_editable_by(request.user), pk=pk)
    purpose = _purpose(request, session)
    return TemplateResponse(
        request,
        "training/sessions/admin/qr.html",
        {
            "session": session,
            "purpose": purpose,
            "code": _code(request, session, purpose),
            "feed": f"{reverse('session_qr_json', args=[pk])}?purpose={purpose}",
            "slot_seconds": SLOT_SECONDS,
        },
    )


@never_cache
def session_qr_json(request, pk: int):
    session = get_object_or_404(sessions_editable_by(request.user), pk=pk)
    return JsonResponse(_code(request, session, _purpose(request, session)))


def _code(request, session, purpose: str) -> dict:
    url = request.build_absolute_uri(
        reverse("sessions:scan", args=[token_make(session=session, purpose=purpose)])
    )
    svg = segno.make(url, error="m").svg_inline(scale=8, border=2)
    return {"svg": svg, "url": url, "slot": current_slot(), "refresh": SLOT_SECONDS}

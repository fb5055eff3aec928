"""Photos of a session: uploaded by its organiser on the roster page (back office), each served
only to those who may see the session."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from training.common.files import evidence_response
from training.sessions.models.photos import SessionPhoto
from training.sessions.selectors.scoping import sessions_editable_by, sessions_visible_to
from training.sessions.services.photos import session_photo_delete, session_photos_add


def photos_visible_to(user):
    return SessionPhoto.objects.filter(session__in=sessions_visible_to(user).values("pk"))


@never_cache
@login_required
def session_photo_file(request, pk: int):
    photo = get_object_or_404(photos_visible_to(request.user), pk=pk)
    return evidence_response(photo.file, photo.content_type)


@require_POST
def session_photos_upload(request, pk: int):
    session = get_object_or_404(sessions_editable_by(request.user), pk=pk)
    uploads = request.FILES.getlist("photos")
    if not uploads:
        messages.error(request, _("Choose one or more photos."))
        return redirect("session_roster", pk)
    try:
        added = session_photos_add(user=request.user, session=session, uploads=uploads)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("%(count)s photos added.") % {"count": len(added)})
    return redirect("session_roster", pk)


@require_POST
def session_photo_delete_view(request, pk: int, photo_pk: int):
    session = get_object_or_404(sessions_editable_by(request.user), pk=pk)
    photo = get_object_or_404(session.photos, pk=photo_pk)
    session_photo_delete(user=request.user, photo=photo)
    messages.success(request, _("Photo removed."))
    return redirect("session_roster", pk)

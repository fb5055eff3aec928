"""Drill evidence files, served only to those who may see the drill record."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.cache import never_cache

from training.drills.selectors import drill_evidence_visible_to


@never_cache
@login_required
def evidence_file(request, pk: int):
    evidence = get_object_or_404(drill_evidence_visible_to(request.user), pk=pk)
    storage = evidence.file.storage
    try:
        path = storage.path(evidence.file.name)
    except NotImplementedError:
        # Object storage: a short-lived signed URL to the private object.
        return redirect(storage.url(evidence.file.name))
    response = FileResponse(open(path, "rb"), content_type=evidence.content_type)  # noqa: SIM115
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response

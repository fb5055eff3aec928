"""Drill evidence files, served only to those who may see the drill record."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.cache import never_cache

from training.drills.selectors import corrective_actions_visible_to, drill_evidence_visible_to
from training.models import DrillSignature
from training.selectors import drill_records_visible_to


def _serve(field_file, content_type: str | None = None):
    storage = field_file.storage
    try:
        path = storage.path(field_file.name)
    except NotImplementedError:
        # Object storage: a short-lived signed URL to the private object.
        return redirect(storage.url(field_file.name))
    response = FileResponse(open(path, "rb"), content_type=content_type)  # noqa: SIM115
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
def evidence_file(request, pk: int):
    evidence = get_object_or_404(drill_evidence_visible_to(request.user), pk=pk)
    return _serve(evidence.file, evidence.content_type)


@never_cache
@login_required
def action_evidence_file(request, pk: int):
    visible = corrective_actions_visible_to(request.user).exclude(closing_evidence="")
    action = get_object_or_404(visible, pk=pk)
    return _serve(action.closing_evidence)


@never_cache
@login_required
def signature_file(request, pk: int):
    """The responsible person's signature of a drill record (pk of the record)."""
    visible = DrillSignature.objects.filter(record__in=drill_records_visible_to(request.user))
    signed = get_object_or_404(visible, record_id=pk)
    return _serve(signed.image, "image/png")

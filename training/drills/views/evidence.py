"""Drill evidence files, served only to those who may see the drill record."""

import mimetypes

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from directory.files import stored_file_response
from training.drills.selectors.follow_up import (
    corrective_actions_visible_to,
    drill_evidence_visible_to,
)
from training.drills.selectors.records import drill_records_visible_to
from training.models import DrillSignature


def _serve(field_file, content_type: str | None = None):
    # Stored names are generated with an extension checked against the content on upload.
    content_type = content_type or mimetypes.guess_type(field_file.name)[0]
    return stored_file_response(field_file, content_type=content_type or "application/octet-stream")


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

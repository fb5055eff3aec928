"""Drill evidence files, served only to those who may see the drill record."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from training.common.files import evidence_response
from training.drills.models.entry import DrillSignature
from training.drills.selectors.follow_up import (
    corrective_actions_visible_to,
    drill_evidence_visible_to,
)
from training.drills.selectors.records import drill_records_visible_to


@never_cache
@login_required
def evidence_file(request, pk: int):
    evidence = get_object_or_404(drill_evidence_visible_to(request.user), pk=pk)
    return evidence_response(evidence.file, evidence.content_type)


@never_cache
@login_required
def action_evidence_file(request, pk: int):
    visible = corrective_actions_visible_to(request.user).exclude(closing_evidence="")
    action = get_object_or_404(visible, pk=pk)
    return evidence_response(action.closing_evidence)


@never_cache
@login_required
def signature_file(request, pk: int):
    """The responsible person's signature of a drill record (pk of the record)."""
    visible = DrillSignature.objects.filter(record__in=drill_records_visible_to(request.user))
    signed = get_object_or_404(visible, record_id=pk)
    return evidence_response(signed.image, "image/png")

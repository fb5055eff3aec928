"""Batch printing of an enterprise's files in the front office: choose everyone or some people,
follow the batch's progress, download it through the one export path; my batches."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.exports import stored_export_response
from directory.files import private_page
from directory.jobs import job_progress
from dossiers.batch.forms import DossierBatchForm
from dossiers.batch.selectors import dossier_batches_visible_to
from dossiers.batch.services import (
    batch_people,
    dossier_batch_create,
    dossier_batch_retry,
    enterprise_for_batch,
)
from dossiers.enterprise.selectors import dossier_years
from dossiers.models import DossierBatch


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@private_page
def batch_new(request):
    """The enterprise's people, all ticked; print everyone or the ones left ticked."""
    enterprise_id = _int(request.GET.get("enterprise")) or request.user.enterprise_id
    enterprise = enterprise_for_batch(request.user, enterprise_id)
    if enterprise is None:
        raise Http404
    form = DossierBatchForm(request.POST or None, years=dossier_years(timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        try:
            batch = dossier_batch_create(
                user=request.user,
                enterprise=enterprise,
                format=form.cleaned_data["format"],
                person_ids=form.person_ids(),
                enterprise_year=form.cleaned_data["enterprise_year"],
            )
        except (ValidationError, PermissionDenied) as error:
            reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
            for reason in reasons:
                form.add_error(None, reason)
        else:
            return redirect("dossiers:batch", batch.pk)
    ticked = set(form.cleaned_data["people"]) if form.is_bound and form.is_valid() else None
    return render(
        request,
        "dossiers/batch/new.html",
        {
            "enterprise": enterprise,
            "form": form,
            "people": batch_people(user=request.user, enterprise=enterprise),
            "ticked": ticked,
        },
    )


def _batch(request, pk) -> DossierBatch:
    # Another account's batch is "not found".
    return get_object_or_404(dossier_batches_visible_to(request.user), pk=pk)


@login_required
@private_page
def batch_detail(request, pk):
    return render(request, "dossiers/batch/detail.html", {"batch": _batch(request, pk)})


@login_required
def batch_progress(request, pk):
    return JsonResponse(job_progress(_batch(request, pk)))


@login_required
@require_POST
def batch_retry(request, pk):
    batch = _batch(request, pk)
    try:
        dossier_batch_retry(batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The job was queued again."))
    return redirect("dossiers:batch", batch.pk)


@login_required
def batch_download(request, pk):
    batch = _batch(request, pk)
    if batch.status != DossierBatch.Status.DONE:
        raise Http404
    return stored_export_response(
        request,
        kind=_("Files print batch"),
        records=DossierBatch.objects.filter(pk=batch.pk),
        file_of=lambda record: record.file,
        rows_of=lambda record: record.total,
        personal_data_of=lambda record: record.personal_data,
        filename=f"files-{batch.enterprise_id}-{batch.pk}.{batch.format}",
        fmt=batch.format,
    )


@login_required
@private_page
def batch_list(request):
    """My batches (the town office: everyone's), newest first."""
    batches = dossier_batches_visible_to(request.user)[:50]
    return render(request, "dossiers/batch/list.html", {"batches": batches})

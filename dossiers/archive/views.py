"""年度归档 on screen: a subject's archived file (through the one export path, checksum checked),
and the town office's back-office page that archives a past year with progress."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from directory.exports import export_response
from dossiers.archive.kinds import KINDS
from dossiers.archive.models import ArchivedFile, ArchiveRun
from dossiers.archive.selectors import (
    archive_managed_by,
    archive_overview,
    archive_runs_visible_to,
    archived_file_of,
)
from dossiers.archive.services import (
    ArchivedFileRefused,
    archivable_years,
    archive_run_retry,
    archive_run_start,
    archived_file_read,
)


@login_required
def archived_file_pdf(request, kind: str, pk: int, year: int):
    """A subject's file of `year` as archived, scoped like the live file, in the variant the
    viewer may see; a file that fails its checksum is refused."""
    entry = KINDS.get(kind)
    if entry is None:
        raise Http404

    def build(subjects, masking):
        subject = subjects.get()
        row = archived_file_of(
            kind=kind,
            field=entry.field,
            subject=subject,
            year=year,
            whole=entry.sees_whole(masking, subject),
        )
        if row is None:
            raise Http404
        return archived_file_read(row)

    try:
        return export_response(
            request,
            kind=_("Archived file of %(year)s (PDF)") % {"year": year},
            records=entry.visible_to(request.user).filter(pk=pk),
            build=build,
            filename=f"{kind}-file-{pk}-{year}.pdf",
            fmt="pdf",
            single=True,
        )
    except ArchivedFileRefused as refusal:
        return TemplateResponse(
            request, "dossiers/archive/refused.html", {"message": str(refusal)}, status=409
        )


# --- the town office's page (back office) -----------------------------------------------------


class ArchiveForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Files"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in archivable_years(today)]
        self.fields["kinds"].choices = [(kind, ArchivedFile.Kind(kind).label) for kind in KINDS]
        self.fields["kinds"].initial = list(KINDS)


def _require_manager(request) -> None:
    if not archive_managed_by(request.user):
        raise Http404


def archive_index(request):
    """The archived years and recent runs; the form queues the archiving of a past year."""
    _require_manager(request)
    form = ArchiveForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            run = archive_run_start(
                year=form.cleaned_data["year"], kinds=form.cleaned_data["kinds"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("dossier_archive:run", run.pk)
    return TemplateResponse(
        request,
        "dossiers/archive/index.html",
        {
            "form": form,
            "overview": archive_overview(),
            "runs": archive_runs_visible_to(request.user)[:10],
        },
    )


def _run(request, pk) -> ArchiveRun:
    return get_object_or_404(archive_runs_visible_to(request.user), pk=pk)


def archive_run_detail(request, pk):
    return TemplateResponse(request, "dossiers/archive/run.html", {"run": _run(request, pk)})


def archive_run_progress(request, pk):
    run = _run(request, pk)
    return JsonResponse(
        {
            # A run whose worker stopped reads as failed, so the page stops polling.
            "status": ArchiveRun.Status.FAILED if run.stuck else run.status,
            "status_label": run.status_label(),
            "retry": run.retryable,
            "done": run.done,
            "total": run.total,
            "written": run.written,
            "percent": run.percent,
            "error": run.error,
        }
    )


@require_POST
def archive_run_retry_view(request, pk):
    run = _run(request, pk)
    try:
        archive_run_retry(run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The job was queued again."))
    return redirect("dossier_archive:run", run.pk)

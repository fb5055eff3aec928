"""A list export's page in the back office: its progress while the worker writes it, then the
download through the one export path (scoped to the account that asked, logged once per
download); a failed export says why and may be retried."""

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from directory.export_jobs import export_job_retry
from directory.exports import stored_export_response
from directory.files import private_page
from directory.jobs import job_progress
from directory.models import ExportJob
from directory.selectors import export_jobs_visible_to


def _job(request, pk) -> ExportJob:
    # Another account's export is "not found".
    return get_object_or_404(export_jobs_visible_to(request.user), pk=pk)


@private_page
def detail(request, pk):
    return TemplateResponse(request, "directory/export_job.html", {"job": _job(request, pk)})


def progress(request, pk):
    return JsonResponse(job_progress(_job(request, pk)))


@require_POST
def retry(request, pk):
    job = _job(request, pk)
    try:
        export_job_retry(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The job was queued again."))
    return redirect("export_jobs:detail", job.pk)


def download(request, pk):
    job = _job(request, pk)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    return stored_export_response(
        request,
        kind=job.kind,
        records=ExportJob.objects.filter(pk=job.pk),
        file_of=lambda record: record.file,
        rows_of=lambda record: record.done,
        personal_data_of=lambda record: record.personal_data,
        filename=job.filename,
        fmt=job.format,
        query=job.query,
    )


urlpatterns = [
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/progress/", progress, name="progress"),
    path("<int:pk>/retry/", retry, name="retry"),
    path("<int:pk>/download/", download, name="download"),
]

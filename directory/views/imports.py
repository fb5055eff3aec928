"""Back-office imports: upload, dry-run report with progress, confirm, template download."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from directory.exports import NO_RECORDS, Sheet, export_response
from directory.files import XLSX_CONTENT_TYPE, stored_file_response
from directory.importing.jobs import (
    import_job_confirm,
    import_job_create,
    import_job_progress,
    import_job_retry,
)
from directory.importing.resources import KIND_LABELS, RESOURCES, resource_for
from directory.importing.services import ImportReport
from directory.selectors import import_jobs_visible_to


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What to import"), choices=lambda: list(KIND_LABELS.items())
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("XLSX, or CSV in UTF-8 or GBK; the first row holds the headers."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Each kind's own options (an attendance sheet's session), asked for that kind only.
        self.option_fields: dict[str, dict[str, str]] = {}
        for kind, resource in RESOURCES.items():
            for name, field in resource.upload_option_fields(viewer=user).items():
                field.required = False
                self.fields[f"{kind}__{name}"] = field
                self.option_fields.setdefault(kind, {})[name] = f"{kind}__{name}"

    def clean(self):
        cleaned = super().clean()
        self.options = {}
        for name, field_name in self.option_fields.get(cleaned.get("kind"), {}).items():
            value = cleaned.get(field_name)
            if value in (None, ""):
                self.add_error(field_name, gettext_lazy("Choose this for this kind of import."))
                continue
            self.options[name] = getattr(value, "pk", value)
        return cleaned


def _require_import_permission(request):
    if not request.user.has_perm("directory.add_importjob"):
        raise PermissionDenied


def index(request):
    _require_import_permission(request)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                user=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                options=form.options,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("directory_imports:job", job.pk)
    return TemplateResponse(
        request,
        "directory/imports/index.html",
        {
            "form": form,
            "kinds": [(kind, KIND_LABELS[kind]) for kind in RESOURCES],
            "jobs": import_jobs_visible_to(request.user)[:20],
        },
    )


def job_detail(request, pk):
    _require_import_permission(request)
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=pk)
    report = ImportReport.from_dict(job.report) if job.report else None
    # A job whose worker stopped shows as failed, with the retry button, not as running.
    running = job.active
    done = import_job_progress(job) if running else job.rows_done
    return TemplateResponse(
        request,
        "directory/imports/job.html",
        {
            "job": job,
            "kind_label": KIND_LABELS.get(job.kind, job.kind),
            "running": running,
            "rows_done": done,
            "percent": round(100 * done / job.rows_total) if job.rows_total else 0,
            "counts": report.counts if report else {},
            "file_errors": report.file_errors if report else [],
            "error_rows": report.error_rows if report else [],
            "warning_rows": report.warning_rows if report else [],
            "runs": report.runs if report else [],
            "can_retry": job.retryable,
            "can_confirm": job.status == job.Status.CHECKED
            and not job.has_errors
            and job.uploaded_by_id == request.user.pk,
        },
    )


@require_POST
def job_confirm(request, pk):
    _require_import_permission(request)
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=pk)
    try:
        import_job_confirm(job=job, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("directory_imports:job", job.pk)


IMPORT_TYPES = {"xlsx": XLSX_CONTENT_TYPE, "csv": "text/csv"}


def job_file(request, pk):
    """The uploaded file of a job, back to the uploader (or the town office) while it is kept."""
    job = get_object_or_404(import_jobs_visible_to(request.user).exclude(file=""), pk=pk)
    _require_import_permission(request)
    extension = job.file.name.rsplit(".", 1)[-1].lower()
    return stored_file_response(
        job.file,
        content_type=IMPORT_TYPES.get(extension, "application/octet-stream"),
        filename=job.original_name,
        inline=False,
    )


@require_POST
def job_retry(request, pk):
    _require_import_permission(request)
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=pk)
    try:
        import_job_retry(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("The job was queued again."))
    return redirect("directory_imports:job", job.pk)


def template_download(request, kind, fmt):
    _require_import_permission(request)
    if kind not in RESOURCES or fmt not in ("xlsx", "csv"):
        raise PermissionDenied

    def build(_records, _masking):
        dataset = resource_for(kind).export(queryset=RESOURCES[kind]._meta.model.objects.none())
        dataset.title = str(KIND_LABELS[kind])
        return Sheet.from_dataset(dataset)

    # A header row and no one's data: sent with the same headers, not logged (the export log
    # is the town office's record of personal data leaving the platform).
    return export_response(
        request,
        kind=str(KIND_LABELS[kind]),
        records=NO_RECORDS,
        build=build,
        filename=f"{kind}-template.{fmt}",
        fmt=fmt,
    )


urlpatterns = [
    path("", index, name="index"),
    path("<int:pk>/", job_detail, name="job"),
    path("<int:pk>/confirm/", job_confirm, name="confirm"),
    path("<int:pk>/file/", job_file, name="file"),
    path("<int:pk>/retry/", job_retry, name="retry"),
    path("template/<str:kind>.<str:fmt>", template_download, name="template"),
]

"""Back-office archiving of the records kept for their retention period: the 归档 form, the
list of archived records (已归档记录) and 恢复. Writes go through directory.services.archive;
records are found through the scoping (directory.selectors), so one outside the user's scope
answers 404 and one the user sees but may not archive answers 403."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from directory.forms import ArchiveForm
from directory.retention import retained_model, retained_models, retained_until
from directory.rights import may_archive, role_may_archive
from directory.selectors import archivable_record_for, archived_records_visible_to
from directory.services.archive import record_archive, record_restore

# What each retained model's row names in the archived list (its __str__ reads these).
LIST_RELATED = {
    "certificates.registeredcertificate": ("person", "certificate_type", "operation"),
    "certificates.issuedcertificate": ("holder",),
    "training.studyhourentry": ("person",),
    "training.attendance": ("person", "session"),
    "training.attempt": ("person", "exam"),
    "training.drillrecord": ("enterprise",),
}
SECTION_ROWS = 20


def _model(label: str):
    model = retained_model(label)
    if model is None:
        raise Http404
    return model


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return reverse("directory_archive:index")


def archive(request, label: str, pk: str):
    model = _model(label)
    record = archivable_record_for(request.user, model, pk)
    if not may_archive(request.user, record):
        raise PermissionDenied
    if record.is_archived:
        messages.warning(request, _("This record is already archived."))
        return redirect("directory_archive:index")
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_archive(record=record, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as refused:
            if hasattr(refused, "error_dict"):
                for message in refused.message_dict.get("reason", refused.messages):
                    form.add_error("reason", message)
            else:
                form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("%(record)s archived: it no longer appears in lists and figures.")
                % {"record": capfirst(str(record))},
            )
            return redirect(_next_url(request))
    return TemplateResponse(
        request,
        "directory/archive/form.html",
        {
            "record": record,
            "model_name": capfirst(model._meta.verbose_name),
            "retained_until": retained_until(record),
            "form": form,
            "next": _next_url(request),
        },
    )


@require_POST
def restore(request, label: str, pk: str):
    model = _model(label)
    record = archivable_record_for(request.user, model, pk)
    if not may_archive(request.user, record):
        raise PermissionDenied
    try:
        record_restore(record=record, user=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("%(record)s restored.") % {"record": capfirst(str(record))})
    return redirect("directory_archive:index")


def index(request):
    if not role_may_archive(request.user):
        raise PermissionDenied
    chosen = request.GET.get("model", "")
    sections = []
    for model in retained_models():
        label = model._meta.label_lower
        if chosen and label != chosen:
            continue
        rows = archived_records_visible_to(request.user, model).select_related(
            *LIST_RELATED.get(label, ())
        )
        page = Paginator(rows, 50 if chosen else SECTION_ROWS).get_page(request.GET.get("page"))
        sections.append({"label": label, "name": model._meta.verbose_name_plural, "page": page})
    return TemplateResponse(
        request,
        "directory/archive/index.html",
        {
            "sections": sections,
            "chosen": chosen,
            "page_obj": sections[0]["page"] if chosen else None,
        },
    )


urlpatterns = [
    path("", index, name="index"),
    path("<str:label>/<str:pk>/", archive, name="archive"),
    path("<str:label>/<str:pk>/restore/", restore, name="restore"),
]

"""The export log in the back office: who took which records (and personal data) out, and when."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import path

from directory.models import ExportLogEntry


def index(request):
    if not request.user.has_perm("directory.view_exportlogentry"):
        raise PermissionDenied
    entries = ExportLogEntry.objects.all()
    if request.GET.get("personal") == "1":
        entries = entries.filter(personal_data=True)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "directory/export_log.html",
        {"page_obj": page, "personal_only": request.GET.get("personal") == "1"},
    )


urlpatterns = [path("", index, name="index")]

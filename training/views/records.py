"""一人一档 (a page and a printable PDF per person) and the enterprise's status list with export."""

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from directory.selectors import person_for_user
from directory.views.admin import XLSX_CONTENT_TYPE
from training.records_pdf import person_record_pdf
from training.selectors_records import (
    enterprise_for,
    enterprise_statuses,
    person_record,
    record_people_visible_to,
)
from training.selectors_requirements import status_sorted

SORTS = ("name", "-name", "status", "-status", "required", "-required", "credited", "-credited")


def _record(request, pk):
    person = get_object_or_404(record_people_visible_to(request.user), pk=pk)
    return person_record(user=request.user, person=person, today=timezone.localdate())


@login_required
def my_record(request):
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    return redirect("learning:record", pk=person.pk)


@login_required
def record(request, pk: int):
    return render(request, "training/person_record.html", _record(request, pk))


@login_required
def record_pdf(request, pk: int):
    data = _record(request, pk)
    return FileResponse(
        io.BytesIO(person_record_pdf(record=data)),
        content_type="application/pdf",
        filename=f"record-{data['person'].pk}.pdf",
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def enterprise_status(request):
    """Every employee's requirement status this year, sortable, and as XLSX."""
    enterprise = enterprise_for(request.user, _int(request.GET.get("enterprise")))
    if enterprise is None:
        raise Http404
    today = timezone.localdate()
    year = _int(request.GET.get("year")) or today.year
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "status"
    statuses = status_sorted(
        enterprise_statuses(enterprise=enterprise, year=year, today=today), sort
    )
    if request.GET.get("format") == "xlsx":
        return _xlsx(enterprise, year, statuses)
    return render(
        request,
        "training/enterprise_status.html",
        {"enterprise": enterprise, "year": year, "statuses": statuses, "sort": sort},
    )


def _xlsx(enterprise, year, statuses) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(year)
    sheet.append([_("Person name"), _("Kind"), _("Required"), _("Credited"), _("Status")])
    for s in statuses:
        sheet.append([s.name, s.kind_label, float(s.required), float(s.credited), s.status_label])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="training-status-{enterprise.pk}-{year}.xlsx"'
    )
    return response

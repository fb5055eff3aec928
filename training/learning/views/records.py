"""一人一档 (a page and a printable PDF per person) and the enterprise's status list with export."""

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.exports import Sheet, export_response
from directory.files import private_page
from directory.models import Enterprise, Person
from directory.selectors import person_for_user
from training.learning.pdf import person_record_pdf
from training.learning.selectors.records import (
    enterprise_for,
    enterprise_statuses,
    person_record,
    record_people_visible_to,
)
from training.learning.selectors.requirements import status_sorted

SORTS = ("name", "-name", "status", "-status", "required", "-required", "credited", "-credited")


def _record(request, pk):
    person = get_object_or_404(record_people_visible_to(request.user), pk=pk)
    return person_record(user=request.user, person=person, today=timezone.localdate())


def _people(pk) -> QuerySet:
    return Person.objects.filter(pk=pk).select_related(
        "employer__industry", "employer__village", "department"
    )


@login_required
def my_record(request):
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    return redirect("learning:record", pk=person.pk)


@login_required
@private_page
def record(request, pk: int):
    return render(request, "training/learning/person_record.html", _record(request, pk))


@login_required
def record_pdf(request, pk: int):
    def build(people, masking):
        data = person_record(
            user=request.user, person=people.get(), today=timezone.localdate(), masking=masking
        )
        return person_record_pdf(record=data)

    return export_response(
        request,
        kind=_("Personal training record (PDF)"),
        records=_people(pk),
        build=build,
        filename=f"record-{pk}.pdf",
        fmt="pdf",
        single=True,
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@private_page
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
        return _xlsx(request, enterprise, year, statuses)
    return render(
        request,
        "training/learning/enterprise_status.html",
        {"enterprise": enterprise, "year": year, "statuses": statuses, "sort": sort},
    )


def _xlsx(request, enterprise, year, statuses):
    def build(enterprises, masking):
        headers = [
            _("Person name"),
            _("Kind"),
            _("Required"),
            _("Credited"),
            _("Status"),
            _("Re-training after a move"),
        ]
        rows = [
            [
                s.name,
                s.kind_label,
                float(s.required),
                float(s.credited),
                s.status_label,
                s.retraining_label,
            ]
            for s in statuses
        ]
        return Sheet(str(year), headers, rows)

    return export_response(
        request,
        kind=_("Training status"),
        records=Enterprise.objects.filter(pk=enterprise.pk),
        build=build,
        filename=f"training-status-{enterprise.pk}-{year}.xlsx",
        fmt="xlsx",
        single=True,
    )

"""The enterprise's status list: every employee's requirement this year, sortable, and as XLSX
(一人一档 itself lives in the dossiers app)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.exports import Sheet, export_response
from directory.files import private_page
from directory.models import Enterprise
from training.learning.selectors.records import enterprise_for, enterprise_statuses
from training.learning.selectors.requirements import status_sorted

SORTS = ("name", "-name", "status", "-status", "required", "-required", "credited", "-credited")


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

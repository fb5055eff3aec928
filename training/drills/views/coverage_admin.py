"""The drill coverage report in the back office, over the enterprises the user follows."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from training.drills.selectors.coverage import FIGURES, drill_coverage
from training.drills.selectors.obligations import obligation_enterprises_for

DIMENSION_LABELS = {
    "department": _("Lead department"),
    "village": _("Village or community"),
    "industry": _("Industry"),
}


def drill_coverage_view(request):
    if not request.user.has_perm("training.view_drillrecord"):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= 2100:
        year = today.year
    coverage = drill_coverage(
        enterprises=obligation_enterprises_for(request.user), year=year, today=today
    )
    tables = [(name, DIMENSION_LABELS[name], rows) for name, rows in coverage.by.items()]
    return TemplateResponse(
        request,
        "training/drills/admin/coverage.html",
        {
            "coverage": coverage,
            "tables": tables,
            "year": year,
            "figure_labels": [label for label, _test in FIGURES.values()],
        },
    )

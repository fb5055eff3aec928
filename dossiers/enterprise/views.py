"""一企一档 in the front office: the page for a chosen year, and the printable PDF (through the one
export path)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.exports import Built, export_response
from directory.files import private_page
from dossiers.archive.models import ArchivedFile
from dossiers.archive.selectors import archived_years
from dossiers.batch.services import dossier_batch_create, may_batch
from dossiers.enterprise.pdf import enterprise_dossier_pdf
from dossiers.enterprise.selectors import (
    dossier_enterprises_visible_to,
    dossier_years,
    enterprise_dossier,
)
from dossiers.models import DossierBatch

# Rows of the roster a page shows (the PDF holds them all).
ROSTER_PER_PAGE = 100
# From this many people in post, the page makes the PDF in the background (a batch of one file)
# rather than linking the direct download (seconds of rendering on a 2,000-person roster).
PRINT_IN_BACKGROUND_FROM = 300


def _year(value, today) -> int | None:
    """The year asked for, if it is one a file may be asked for."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if year in dossier_years(today) else None


@login_required
@private_page
def enterprise_file(request, pk: int):
    enterprise = get_object_or_404(dossier_enterprises_visible_to(request.user), pk=pk)
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today) or today.year
    dossier = enterprise_dossier(enterprise=enterprise, viewer=request.user, year=year, today=today)
    roster = Paginator(dossier.roster, ROSTER_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "dossiers/enterprise.html",
        {
            "dossier": dossier,
            "enterprise": enterprise,
            "roster": roster,
            "print_in_background": may_batch(request.user)
            and len(dossier.roster) >= PRINT_IN_BACKGROUND_FROM,
            "archived_years": archived_years(kind=ArchivedFile.Kind.ENTERPRISE, subject=enterprise),
        },
    )


@login_required
def enterprise_file_pdf(request, pk: int, year: int):
    today = timezone.localdate()
    if _year(year, today) is None:
        raise Http404

    def build(enterprises, masking):
        dossier = enterprise_dossier(
            enterprise=enterprises.select_related(
                "village", "industry", "lead_department", "principal"
            ).get(),
            viewer=request.user,
            year=year,
            today=today,
            masking=masking,
        )
        return Built(enterprise_dossier_pdf(dossier), rows=len(dossier.roster))

    return export_response(
        request,
        kind=_("Enterprise training file (PDF)"),
        records=dossier_enterprises_visible_to(request.user).filter(pk=pk),
        build=build,
        filename=f"enterprise-file-{pk}-{year}.pdf",
        fmt="pdf",
        single=True,
    )


@login_required
@require_POST
def enterprise_file_print(request, pk: int, year: int):
    """The PDF of a large enterprise's file made in the background (a batch of one file, with
    its progress and download on the batch's page)."""
    enterprise = get_object_or_404(dossier_enterprises_visible_to(request.user), pk=pk)
    try:
        batch = dossier_batch_create(
            user=request.user,
            enterprise=enterprise,
            format=DossierBatch.Format.PDF,
            person_ids=[],
            enterprise_year=year,
        )
    except (ValidationError, PermissionDenied) as error:
        for reason in error.messages if isinstance(error, ValidationError) else [str(error)]:
            messages.error(request, reason)
        return redirect(f"{reverse('dossiers:enterprise', args=[pk])}?year={year}")
    return redirect("dossiers:batch", batch.pk)

"""The printable drill record, for whoever may see the record (front and back office)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from training.drills.pdf import drill_record_pdf
from training.selectors import drill_records_visible_to


@login_required
def drill_record_pdf_view(request, pk: int):
    record = get_object_or_404(
        drill_records_visible_to(request.user).select_related("enterprise"), pk=pk
    )
    response = HttpResponse(drill_record_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="drill-{record.pk}-{record.date:%Y%m%d}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response

"""The printable drill record, for whoever may see the record (front and back office)."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from directory.exports import export_response
from training.drills.models.records import DrillRecord
from training.drills.pdf import drill_record_pdf


@login_required
def drill_record_pdf_view(request, pk: int):
    def build(records, masking):
        return drill_record_pdf(records.get())

    return export_response(
        request,
        kind=_("Drill record (PDF)"),
        records=DrillRecord.objects.filter(pk=pk).select_related("enterprise"),
        build=build,
        filename=f"drill-{pk}.pdf",
        fmt="pdf",
        single=True,
    )

"""Front-office drill pages for enterprise managers (namespace "training")."""

from django.urls import path

from training.views import drill_entry, drill_evidence, drill_pdf

app_name = "training"

urlpatterns = [
    path("drills/", drill_entry.drill_list, name="drill_list"),
    path("drills/new/", drill_entry.drill_record_new, name="drill_record_new"),
    path("drills/evidence/<int:pk>/", drill_evidence.evidence_file, name="evidence_file"),
    path("drills/<int:pk>/pdf/", drill_pdf.drill_record_pdf_view, name="drill_record_pdf"),
    path("drills/<int:pk>/signature/", drill_evidence.signature_file, name="signature_file"),
    path(
        "drills/actions/<int:pk>/evidence/",
        drill_evidence.action_evidence_file,
        name="action_evidence_file",
    ),
]

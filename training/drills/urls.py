"""Front-office drill pages for enterprise managers (namespace "training")."""

from django.urls import path

from training.drills.views import entry, evidence, pdf

app_name = "training"

urlpatterns = [
    path("drills/", entry.drill_list, name="drill_list"),
    path("drills/new/", entry.drill_record_new, name="drill_record_new"),
    path("drills/evidence/<int:pk>/", evidence.evidence_file, name="evidence_file"),
    path("drills/<int:pk>/pdf/", pdf.drill_record_pdf_view, name="drill_record_pdf"),
    path("drills/<int:pk>/signature/", evidence.signature_file, name="signature_file"),
    path(
        "drills/actions/<int:pk>/evidence/",
        evidence.action_evidence_file,
        name="action_evidence_file",
    ),
]

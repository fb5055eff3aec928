from django.urls import path

from training.views import drill_evidence

app_name = "training"

urlpatterns = [
    path("drills/evidence/<int:pk>/", drill_evidence.evidence_file, name="evidence_file"),
    path(
        "drills/actions/<int:pk>/evidence/",
        drill_evidence.action_evidence_file,
        name="action_evidence_file",
    ),
]

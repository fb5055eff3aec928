from django.urls import path

from training.views import drill_evidence

app_name = "training"

urlpatterns = [
    path("drills/evidence/<int:pk>/", drill_evidence.evidence_file, name="evidence_file"),
]

from django.urls import path
from django.views.generic import RedirectView

from training.learning.views import front, records

app_name = "learning"

urlpatterns = [
    # First: the player's heartbeat, the busiest URL (config/urls.py mounts this app first too).
    path("heartbeat/", front.heartbeat, name="heartbeat"),
    path("", front.my_learning, name="mine"),
    path("enrol/<int:course_id>/", front.enrol, name="enrol"),
    path("presence/", front.presence, name="presence"),
    # 一人一档 lives in the dossiers app; these keep old links and bookmarks working.
    path("record/", RedirectView.as_view(pattern_name="dossiers:mine"), name="my_record"),
    path("people/<int:pk>/", RedirectView.as_view(pattern_name="dossiers:person"), name="record"),
    path(
        "people/<int:pk>/record.pdf",
        RedirectView.as_view(pattern_name="dossiers:person_pdf"),
        name="record_pdf",
    ),
    path("enterprise/", records.enterprise_status, name="enterprise_status"),
]

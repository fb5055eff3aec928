from django.urls import path

from training.views import sessions_evidence, sessions_front, sessions_scan

app_name = "sessions"

urlpatterns = [
    path("", sessions_front.my_sessions, name="mine"),
    path("scan/<str:token>/", sessions_scan.scan, name="scan"),
    path("photos/<int:pk>/", sessions_evidence.session_photo_file, name="photo"),
]

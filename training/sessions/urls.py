from django.urls import path

from training.sessions.views import front, photos, scan

app_name = "sessions"

urlpatterns = [
    path("", front.my_sessions, name="mine"),
    path("scan/<str:token>/", scan.scan, name="scan"),
    path("photos/<int:pk>/", photos.session_photo_file, name="photo"),
]

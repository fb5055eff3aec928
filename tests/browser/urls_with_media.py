"""The project's URLs plus local media serving, as `make run` has them (tests run DEBUG off)."""

from django.conf import settings
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from content.views.media import media_serve

urlpatterns = [
    path(f"{settings.MEDIA_URL.lstrip('/')}<path:path>", media_serve),
    *project_urlpatterns,
]

"""WSGI entry for benchmarks/learning.py only: the project, plus a bare JSON POST view at /bare/.

The bare view passes the same middleware as the heartbeat (session, CSRF, auth) and answers a
small JSON body without touching the database: the yardstick the heartbeat is compared with.
/bare-logged-in/ also reads the session and the account: the least any logged-in view costs.
"""

import os

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import JsonResponse
from django.urls import include, path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup(set_prefix=False)


def bare(request):
    return JsonResponse({"ok": True, "bytes": len(request.body)})


def bare_logged_in(request):
    """The same, but it asks who is logged in: the session and the account are read, as any
    view that needs a login must (the middleware reads both lazily, so /bare/ reads neither)."""
    return JsonResponse({"ok": request.user.is_authenticated, "bytes": len(request.body)})


urlpatterns = [
    path("bare/", bare),
    path("bare-logged-in/", bare_logged_in),
    path("", include(settings.ROOT_URLCONF)),
]


class BenchHandler(WSGIHandler):
    def get_response(self, request):
        request.urlconf = __name__
        return super().get_response(request)


application = BenchHandler()

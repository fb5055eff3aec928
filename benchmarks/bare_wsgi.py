"""WSGI entry for the load benchmarks: the project, plus a bare JSON view at /bare/.

The bare view passes the same middleware as the product's views (session, CSRF, auth) and
answers a small JSON body (GET or POST) without touching the database: the yardstick the
product's endpoints are compared with (benchmarks/loadlib.py, benchmarks/learning.py). It never
reaches the product's URLs.
"""

import os

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import JsonResponse
from django.urls import include, path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
if os.environ.get("BENCH_STATIC_ROOT"):
    settings.STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The tiny runs on SQLite (tests/test_benchmarks.py): production settings drop base.py's
    # SQLite options; writers queue for the lock instead of failing with "database is locked".
    settings.DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )

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

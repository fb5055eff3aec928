"""WSGI entry for benchmarks/serve_pages.py only: the project, plus a bare view at /bare/.

The bare view goes through the same Django handler and middleware as the pages, with none of
Wagtail's routing or rendering: the yardstick the pages are compared with. It never reaches the
product's URLs.
"""

import os

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse
from django.urls import include, path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
if os.environ.get("BENCH_STATIC_ROOT"):
    settings.STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]

import django  # noqa: E402

django.setup(set_prefix=False)

BARE_BODY = (
    b"<!DOCTYPE html><html><body>"
    + b"x" * max(0, int(os.environ.get("BENCH_BARE_BYTES", "8000")) - 42)
    + b"</body></html>\n"
)


def bare(request):
    return HttpResponse(BARE_BODY)


urlpatterns = [path("bare/", bare), path("", include(settings.ROOT_URLCONF))]


class BenchHandler(WSGIHandler):
    def get_response(self, request):
        request.urlconf = __name__
        return super().get_response(request)


application = BenchHandler()

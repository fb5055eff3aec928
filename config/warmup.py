"""Work each web process does once, before its first request, rather than during it: import every
URLconf and view (Wagtail builds its admin URLs), load the translation catalogues and compile the
templates every back-office page extends. A district's first request per process took over a
second; after a deploy or a restart each worker's first user paid it (config/wsgi.py calls this
as gunicorn starts the worker, before it accepts connections)."""

import logging

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)

# The frame of every back-office and front-office page, and the coverage screens officers open
# first (their homes, the dashboard).
TEMPLATES = (
    "wagtailadmin/base.html",
    "wagtailadmin/home.html",
    "wagtailadmin/generic/index.html",
    "wagtailadmin/generic/index_results.html",
    "reports/dashboard.html",
    "reports/dashboard_figures.html",
    "reports/home/figures_panel.html",
    "reports/home/todo_panel.html",
    "base.html",
)


def process_warm() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports every URLconf and view module
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Coverage dashboard")
    for name in TEMPLATES:
        try:
            get_template(name)
        except TemplateDoesNotExist:  # a template renamed by an upgrade costs its first request
            logger.warning("warm-up: no template %s", name)

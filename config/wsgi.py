"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

from config.database import web_statement_timeout  # noqa: E402 (needs the settings loaded)

web_statement_timeout()

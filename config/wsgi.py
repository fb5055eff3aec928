"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

from config.database import web_statement_timeout  # noqa: E402 (needs the settings loaded)
from config.warmup import process_warm  # noqa: E402

web_statement_timeout()
# gunicorn imports this module in each worker before the worker accepts connections.
process_warm()

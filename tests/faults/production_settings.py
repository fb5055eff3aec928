"""Production settings for a gunicorn the fault tests start: static files without the manifest.

Everything else — database connections (CONN_MAX_AGE, health checks), middleware, sessions —
is config.settings.production as deployed; only `collectstatic`'s manifest, a deployment step
the tests do not run, is not required to render pages.
"""

from config.settings.production import *  # noqa: F403
from config.settings.production import STORAGES

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

"""Production settings for a gunicorn the fault tests start: static files without the manifest.

Everything else — database connections (CONN_MAX_AGE, health checks), middleware, sessions —
is config.settings.production as deployed; only `collectstatic`'s manifest, a deployment step
the tests do not run, is not required to render pages. TEST_CELERY_QUEUE, when set, is the
queue tasks go to, so that a worker the test starts on a shared broker takes only its messages.
"""

import os

from config.settings.production import *  # noqa: F403
from config.settings.production import STORAGES

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TEST_CELERY_QUEUE", "celery")

"""Local development and `make run`: debug on, embedded defaults."""

import warnings

from celery.exceptions import SecurityWarning

from .base import *  # noqa: F403

DEBUG = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Celery warns at every worker start when it runs as root ("You're running the worker with
# superuser privileges"), as it does in containers and on machines where everything runs as
# root. Its documented remedy is `celery worker --uid` (a user that must still write var/), and
# C_FORCE_ROOT only lifts the refusal to run as root with pickle, not this warning. The danger
# it names is a pickled message running code as root; this worker accepts JSON only
# (CELERY_ACCEPT_CONTENT), so for local development the warning is silenced; production settings
# keep it.
warnings.filterwarnings(
    "ignore",
    message="You're running the worker with superuser privileges",
    category=SecurityWarning,
)

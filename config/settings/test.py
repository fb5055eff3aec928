"""The test suite: the embedded defaults unless DATABASE_URL / CELERY_BROKER_URL say otherwise."""

import os
import tempfile

os.environ.setdefault(
    "CELERY_FILESYSTEM_DIR", os.path.join(tempfile.gettempdir(), "xujing-test-celery")
)

from .base import *  # noqa: E402, F403

DEBUG = False
# On SQLite the test database is a file under var/, so that `--reuse-db` (on by default) keeps it
# between runs: a local run starts without migrating; `--create-db` rebuilds it (CI does).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    VAR_DIR.mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = os.path.join(tempfile.gettempdir(), "xujing-test-media")
STORAGES["private"]["OPTIONS"]["location"] = os.path.join(  # noqa: F405
    tempfile.gettempdir(), "xujing-test-private"
)
# Tasks run inline unless a test starts a real worker (tests/test_celery_worker.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

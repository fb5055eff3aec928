"""What `make run` and every `manage.py` call print: no warning a newcomer cannot act on.

The silences are narrow: each test below fails when the noise comes back, and when a silence
starts to hide something new.
"""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks
from django.db import connection

from config.celery import app as celery_app
from training.models import StudyHourEntry

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_the_silenced_sqlite_index_warning_comes_from_the_ledger_index_alone():
    """models.W040 is silenced on SQLite for StudyHourEntry's covering index; a second index
    with `include` would be silenced unseen, so it must come with a look at this silence."""
    messages = checks.run_checks(tags=[checks.Tags.models], databases=["default"])
    covering = [message for message in messages if message.id == "models.W040"]

    if connection.vendor == "sqlite":
        assert [message.obj for message in covering] == [StudyHourEntry]
        assert "models.W040" in settings.SILENCED_SYSTEM_CHECKS
        assert all(message.is_silenced() for message in covering)
    else:  # PostgreSQL builds covering indexes: nothing to warn about, nothing silenced
        assert covering == []
        assert "models.W040" not in settings.SILENCED_SYSTEM_CHECKS


def test_talking_to_the_broker_logs_no_missing_hostname(caplog):
    """kombu warns "No hostname was supplied" for a broker URL without a host (the filesystem
    transport's `filesystem://`); the default names localhost."""
    with (
        caplog.at_level(logging.WARNING, logger="kombu"),
        celery_app.connection_for_write() as conn,
    ):
        conn.info()
    assert "hostname" not in caplog.text
    assert conn.hostname


def test_the_dev_settings_silence_celerys_root_warning_and_only_that():
    """As root, Celery warns at every worker start (SecurityWarning); the dev settings silence that
    message, and no other warning of the same class."""
    code = """
import warnings
from celery.exceptions import SecurityWarning
from celery.platforms import check_privileges

warnings.simplefilter("error", SecurityWarning)
try:
    check_privileges({"json"})
except SecurityWarning:
    print("warned")
else:
    print("nothing to warn about")
import config.settings.dev
check_privileges({"json"})
try:
    warnings.warn(SecurityWarning("another security warning"))
except SecurityWarning:
    print("other warnings still raised")
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    env["VAR_DIR"] = env["CELERY_FILESYSTEM_DIR"] = os.path.join(
        os.environ.get("TMPDIR", "/tmp"),  # noqa: S108
        "xujing-test-quiet-start",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    if result.stdout.startswith("nothing to warn about"):
        pytest.skip("not running as root: Celery has no root warning to give")
    assert result.stdout.split("\n")[:2] == ["warned", "other warnings still raised"]

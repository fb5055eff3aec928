"""PostgreSQL's statement_timeout per kind of process: a web request's queries stop when the
request would have timed out (DATABASE_STATEMENT_TIMEOUT, set in config/wsgi.py), a worker's
get the longer WORKER_STATEMENT_TIMEOUT (config/celery.py); management commands (migrations, the
scale seeds) have none. Set in the connection's startup options, so it costs no query."""

import re

from django.conf import settings
from django.db import connections

_TIMEOUT = re.compile(r"\s*-c\s*statement_timeout=\S+")


def statement_timeout_options(options: dict, seconds: int) -> dict:
    """A connection's OPTIONS with statement_timeout set to `seconds` (0: no limit)."""
    startup = _TIMEOUT.sub("", options.get("options", "")).strip()
    startup = f"{startup} -c statement_timeout={seconds * 1000}".strip()
    return {**options, "options": startup}


def statement_timeout_set(seconds: int) -> None:
    """Connections opened from now on by this process cancel longer statements (PostgreSQL)."""
    for alias in connections:
        database = connections.settings[alias]
        if database["ENGINE"] == "django.db.backends.postgresql":
            database["OPTIONS"] = statement_timeout_options(database.get("OPTIONS", {}), seconds)
            connections[alias].settings_dict["OPTIONS"] = database["OPTIONS"]


def web_statement_timeout() -> None:
    statement_timeout_set(settings.DATABASE_STATEMENT_TIMEOUT)


def worker_statement_timeout() -> None:
    statement_timeout_set(settings.WORKER_STATEMENT_TIMEOUT)
    connections.close_all()  # a connection opened while the worker started gets it too

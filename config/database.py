"""PostgreSQL connections.

The statement_timeout per kind of process: a web request's queries stop when the request would
have timed out (DATABASE_STATEMENT_TIMEOUT, set in config/wsgi.py), a worker's get the longer
WORKER_STATEMENT_TIMEOUT (config/celery.py); management commands (migrations, the scale seeds)
have none. Set in the connection's startup options, so it costs no query.

`prepared_fetchone` runs the one-statement hot paths prepared on the server.
"""

import functools
import re

from django.conf import settings
from django.db import connection, connections

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


@functools.cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparingCursor


def prepared_fetchone(sql: str, params: dict) -> tuple | None:
    """Run `sql` on PostgreSQL prepared once per connection, binding parameters on the server,
    and return its first row: the hot one-statement paths (a lesson's heartbeat, a contest's
    answer) then stop being planned on every call (planning took several times longer than
    running them). Django turns psycopg's preparation off for the sake of connection poolers in
    transaction mode; this turns it on for the one statement's run (a pooler that keeps
    prepared statements -- pgbouncer >= 1.21 -- or none is needed)."""
    connection.ensure_connection()
    raw = connection.connection
    with connection.wrap_database_errors:
        cursor = connection._prepare_cursor(_preparing_cursor_class()(raw))
    threshold, raw.prepare_threshold = raw.prepare_threshold, 0
    try:
        with cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    finally:
        raw.prepare_threshold = threshold

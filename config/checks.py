"""`manage.py check --deploy`: what several web hosts must share and would keep to themselves.

The embedded defaults (SQLite, the filesystem broker, a file cache) live on one machine's disk;
a cache in process memory lives in one gunicorn process. Behind a load balancer each would give
every host its own sessions' cache, login-failure and rate-limit counters, contest rankings,
import progress and queue of jobs (docs/hosts.md). A deployment on one machine may silence these
warnings (SILENCED_SYSTEM_CHECKS); any other deployment fixes the setting named.
"""

from django.conf import settings
from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning

# Backends that keep their entries in one process (locmem, dummy) or on one machine (files).
HOST_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache": "each process's memory",
    "django.core.cache.backends.dummy.DummyCache": "nowhere",
    "django.core.cache.backends.filebased.FileBasedCache": "one host's disk",
}
HOST_LOCAL_BROKERS = {"filesystem": "one host's disk", "memory": "each process's memory"}
HOST_LOCAL_SESSIONS = {"django.contrib.sessions.backends.file": "one host's disk"}


@register(Tags.caches, Tags.database, deploy=True)
def shared_state_check(app_configs, **kwargs) -> list[CheckWarning]:
    problems = []
    for alias, cache in settings.CACHES.items():
        where = HOST_LOCAL_CACHES.get(cache["BACKEND"])
        if where:
            problems.append(
                CheckWarning(
                    f"The {alias!r} cache keeps its entries in {where}: several hosts would each "
                    "count login failures and rate limits, and cache sessions and rankings, apart.",
                    hint="Set CACHE_URL=redis://…/1 (one Redis for every host).",
                    id="hosts.W001",
                )
            )
    scheme = settings.CELERY_BROKER_URL.split(":", 1)[0]
    if scheme in HOST_LOCAL_BROKERS:
        problems.append(
            CheckWarning(
                f"The Celery broker keeps its queue in {HOST_LOCAL_BROKERS[scheme]}: jobs queued "
                "on one host would never reach a worker on another.",
                hint="Set CELERY_BROKER_URL=redis://…/0 (one Redis for every host).",
                id="hosts.W002",
            )
        )
    for alias, database in settings.DATABASES.items():
        if database["ENGINE"] == "django.db.backends.sqlite3":
            problems.append(
                CheckWarning(
                    f"The {alias!r} database is a SQLite file on one host's disk.",
                    hint="Set DATABASE_URL=postgres://… (one database server for every host).",
                    id="hosts.W003",
                )
            )
    where = HOST_LOCAL_SESSIONS.get(settings.SESSION_ENGINE)
    if where:
        problems.append(
            CheckWarning(
                f"Sessions are kept on {where}: a visitor logged in on one host would be "
                "anonymous on another.",
                hint="Keep SESSION_ENGINE = django.contrib.sessions.backends.cached_db.",
                id="hosts.W004",
            )
        )
    return problems

"""Settings as deployed: production passes `check --deploy`, refuses to start without a secret,
and the town's defaults (Chinese, Shanghai time) hold in every environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import base

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """A clean environment, as a process manager would give gunicorn: nothing from this shell."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "safety.example.org,testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
        "CACHE_URL": "locmemcache://",
        "CELERY_FILESYSTEM_DIR": str(tmp_path / "celery"),
    }


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(MANAGE), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _shell(env: dict[str, str], *statements: str) -> str:
    """What `manage.py shell -c` prints running the statements, which must succeed."""
    result = _manage(env, "shell", "-c", ";".join(statements))
    assert result.returncode == 0, result.stderr
    return result.stdout


# What several hosts share (docs/hosts.md); `check` connects to none of them.
SHARED_SERVICES = {
    "DATABASE_URL": "postgres://safety@db.invalid:5432/safety",
    "CELERY_BROKER_URL": "redis://redis.invalid:6379/0",
    "CACHE_URL": "redis://redis.invalid:6379/1",
}


def test_production_settings_pass_the_deployment_checklist(production_env):
    production_env.update(SHARED_SERVICES)
    result = _manage(production_env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_the_deployment_checklist_names_what_would_stay_on_one_host(production_env):
    # The fixture's SQLite file, filesystem broker and process-memory cache.
    result = _manage(production_env, "check", "--deploy")

    assert result.returncode == 0, result.stderr  # warnings: one machine may silence them
    for check_id, variable in [
        ("hosts.W001", "CACHE_URL"),
        ("hosts.W002", "CELERY_BROKER_URL"),
        ("hosts.W003", "DATABASE_URL"),
    ]:
        assert check_id in result.stderr and variable in result.stderr


def test_a_prefixed_cache_url_keeps_its_prefix(production_env):
    production_env.update(SHARED_SERVICES, CACHE_URL="redis://redis.invalid:6379/1?key_prefix=town")
    prefix = "from django.conf import settings; print(settings.CACHES['default']['KEY_PREFIX'])"

    assert _shell(production_env, prefix).split()[-1] == "town"


def test_a_redis_cache_url_gives_the_backend_that_keeps_one_client_per_pool(production_env):
    production_env.update(SHARED_SERVICES, CACHE_URL="redis://redis.invalid:6379/1")
    out = _shell(
        production_env,
        "from django.conf import settings; from django.core.cache import cache",
        "print(settings.CACHES['default']['BACKEND'])",
        "print(cache._cache.get_client() is cache._cache.get_client(write=True))",
    )

    assert out.split()[-2:] == ["config.cache.RedisCache", "True"]


def test_production_connections_to_postgresql_run_without_jit(production_env):
    """production.py builds its own DATABASES through base.database_config: JIT stays off there
    too (docs/production.md), and kept connections are checked before reuse."""
    production_env.update(SHARED_SERVICES)
    out = _shell(
        production_env,
        "from django.conf import settings; database = settings.DATABASES['default']",
        "print(database['OPTIONS']['options'])",
        "print(database['CONN_HEALTH_CHECKS'], database['CONN_MAX_AGE'])",
    )

    assert out.strip().splitlines()[-2:] == ["-c jit=off", "True 60"]


def test_the_redis_cache_answers_as_djangos_own(settings):
    """On a real Redis (the suite's broker when it is Redis, else the machine's): the shared
    client sets, adds, counts and deletes as Django's backend does, from several threads."""
    import os
    import threading

    import redis
    from django.core.cache import caches

    url = os.environ.get("CELERY_BROKER_URL", "")
    url = url if url.startswith("redis://") else "redis://127.0.0.1:6379/0"
    try:  # asked of redis-py itself: the backend under test is never the reason to skip
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    settings.CACHES = {
        "default": settings.CACHES["default"],
        "shared": {"BACKEND": "config.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "t-cache"},
    }
    cache = caches["shared"]
    cache.delete_many(["k", "n"])
    assert cache.add("k", {"a": 1}, 60) and not cache.add("k", "other", 60)
    assert cache.get("k") == {"a": 1}
    cache.set("n", 0, 60)

    def count():
        for _ in range(50):
            cache.incr("n")

    threads = [threading.Thread(target=count) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("n") == 200
    cache.delete_many(["k", "n"])
    assert cache.get("k") is None


@pytest.mark.parametrize(
    "variable", ["SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"]
)
def test_production_refuses_to_start_without_its_required_settings(production_env, variable):
    del production_env[variable]

    result = _manage(production_env, "check")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_production_keeps_the_town_defaults_and_lets_the_probe_through_on_http(production_env):
    # Behind the load balancer every page is redirected to HTTPS, except the health probe.
    out = _shell(
        production_env,
        "from django.conf import settings; from django.test import Client; c = Client()",
        "print('settings', settings.DEBUG, settings.TIME_ZONE, settings.LANGUAGE_CODE)",
        "print('status', c.get('/healthz').status_code, c.get('/me/').status_code)",
    )

    lines = out.splitlines()
    assert "settings False Asia/Shanghai zh-hans" in lines
    assert "status 200 301" in lines


def test_every_environment_is_chinese_first_on_shanghai_time():
    assert base.TIME_ZONE == "Asia/Shanghai"
    assert base.LANGUAGE_CODE == "zh-hans"
    assert dict(base.LANGUAGES).keys() == {"zh-hans", "en"}
    assert base.USE_TZ is True


def test_passwords_are_stored_with_argon2id_and_older_hashes_upgraded_at_login(db, settings):
    """config/passwords.py: OWASP's Argon2id parameters; a PBKDF2 hash stored before still lets
    its owner in, and is rewritten with Argon2id when it does."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher

    from tests.factories import UserFactory

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = UserFactory()
    user.set_password("Qingpu-2026")
    user.save()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert identify_hasher(user.password).__class__.__name__ == "Argon2idHasher"

    old = PBKDF2PasswordHasher()
    user.password = old.encode("Xujing-2025", old.salt())
    user.save()
    assert not user.check_password("wrong")
    assert user.password.startswith("pbkdf2_sha256$")
    assert user.check_password("Xujing-2025")
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("Xujing-2025")

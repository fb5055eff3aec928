"""Shared fixtures: a small town with two of everything, an account per role, the demo town."""

import io
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from directory.constants import AccountRole
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    IndustryFactory,
    PersonFactory,
    UserFactory,
    VillageFactory,
)


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit counters and cached rankings are keyed by
    primary keys, which a rolled-back test hands out again."""
    from django.core.cache import cache

    from reports.selectors.snapshots import snapshot_items_forget

    cache.clear()
    # The snapshot items a process keeps: a rolled-back test hands out the same row ids again,
    # and each test's query counts start from the same place.
    snapshot_items_forget()


@pytest.fixture
def town(db):
    """Two departments, two villages, two enterprises (one per department and village), people."""
    industry = IndustryFactory(name="机械制造")
    dept_a = DepartmentFactory(name="经发办")
    dept_b = DepartmentFactory(name="规建办")
    village_a = VillageFactory(name="徐泾村")
    village_b = VillageFactory(name="金云村")
    ent_a = EnterpriseFactory(
        name="甲机械有限公司", village=village_a, industry=industry, lead_department=dept_a
    )
    ent_b = EnterpriseFactory(
        name="乙建设有限公司", village=village_b, industry=industry, lead_department=dept_b
    )
    person_a = PersonFactory(name="张三", employer=ent_a, phone="13812345678")
    person_b = PersonFactory(name="李四", employer=ent_b, phone="13987654321")
    inspector_a = PersonFactory(
        name="王五", employer=None, department=dept_a, is_inspector=True, is_general_worker=False
    )
    return {
        "industry": industry,
        "dept_a": dept_a,
        "dept_b": dept_b,
        "village_a": village_a,
        "village_b": village_b,
        "ent_a": ent_a,
        "ent_b": ent_b,
        "person_a": person_a,
        "person_b": person_b,
        "inspector_a": inspector_a,
    }


@pytest.fixture
def accounts(town):
    """One account per role, each tied to the "a" side of the town."""
    learner = UserFactory(username="learner", role=AccountRole.LEARNER)
    town["person_a"].account = learner
    town["person_a"].save()
    return {
        AccountRole.TOWN_OFFICE: UserFactory(username="town", role=AccountRole.TOWN_OFFICE),
        AccountRole.DEPARTMENT_OFFICER: UserFactory(
            username="dept", role=AccountRole.DEPARTMENT_OFFICER, department=town["dept_a"]
        ),
        AccountRole.VILLAGE_OFFICER: UserFactory(
            username="village", role=AccountRole.VILLAGE_OFFICER, village=town["village_a"]
        ),
        AccountRole.ENTERPRISE_MANAGER: UserFactory(
            username="manager", role=AccountRole.ENTERPRISE_MANAGER, enterprise=town["ent_a"]
        ),
        AccountRole.LEARNER: learner,
        AccountRole.EDITOR: UserFactory(username="editor", role=AccountRole.EDITOR),
    }


@pytest.fixture(scope="class")
def demo_town(django_db_setup, django_db_blocker):
    """`seed_demo`'s town, built once for a test class; the command's output.

    The town is written in a transaction kept open while the class's tests run and rolled back
    after the last one. Each test (with the `db` fixture) runs in a savepoint inside it, so what
    one test changes is gone before the next. Not for `transactional_db` tests, which commit.
    """
    out = io.StringIO()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", stdout=out)
        except BaseException as error:
            outer.__exit__(type(error), error, error.__traceback__)
            raise
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


# --- a migrated SQLite file for the scripts that run on a database of their own ---------------
# On SQLite the suite's test database, as pytest-django has just migrated it, is copied once: the
# benchmark smoke tests and `make run`'s test then start from a copy instead of migrating a file
# of their own (~40 s each). Copied before any test runs, so a later test's flush is not in it.
SUITE_MIGRATED = "suite-migrated.sqlite3"
ROOT = Path(__file__).resolve().parent.parent
# CI runs the suite on SQLite and on PostgreSQL side by side (.ci/run): the SQLite pass also puts
# its copy at $SUITE_MIGRATED_SQLITE, where the PostgreSQL pass's scripts take it instead of
# migrating a file of their own (about a minute of that pass). It waits for the copy this long.
SHARED_MIGRATED = os.environ.get("SUITE_MIGRATED_SQLITE", "")
SHARED_MIGRATED_WAIT = 300


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        target = tmp_path_factory.getbasetemp() / SUITE_MIGRATED
        with django_db_blocker.unblock():
            source = connection.settings_dict["NAME"]
        # The backup API reads a consistent copy, write-ahead log included.
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        src.close()
        dst.close()
        if SHARED_MIGRATED:
            part = Path(f"{SHARED_MIGRATED}.part")
            shutil.copyfile(target, part)
            part.replace(SHARED_MIGRATED)  # whole or not at all for the other pass
    return django_db_setup


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file with every migration applied, made once per run, for the scripts and
    commands that run on a database of their own (benchmarks, `make run`): on SQLite a copy of
    the suite's test database as migrated before the first test, else the SQLite pass's copy
    when CI shares one, else migrated here."""
    folder = tmp_path_factory.mktemp("bench-template")
    path = folder / "bench.sqlite3"
    suite = tmp_path_factory.getbasetemp() / SUITE_MIGRATED
    if suite.exists():
        shutil.copyfile(suite, path)
        return path
    if SHARED_MIGRATED:
        deadline = time.monotonic() + SHARED_MIGRATED_WAIT
        while not Path(SHARED_MIGRATED).exists() and time.monotonic() < deadline:
            time.sleep(1)
        if Path(SHARED_MIGRATED).exists():
            shutil.copyfile(SHARED_MIGRATED, path)
            return path
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"],
        capture_output=True,
        text=True,
        timeout=600,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{path}",
            "VAR_DIR": str(folder),
            "TMPDIR": str(folder),
        },
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # Fold the write-ahead log into the file, so that a copy of the file alone is the database.
    with sqlite3.connect(path) as database:
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


# --- the reused SQLite test database ---------------------------------------------------------
# `--reuse-db` keeps var/test.sqlite3 between runs, but a test that commits (transactional_db,
# live_server) ends by flushing every table, data migrations' rows included (Wagtail's root page,
# the training-hours table): a later run would start without them. pytest-django runs those tests
# last, so a run that had one leaves the file to be rebuilt by the next run; a run without one (the
# usual one file or folder) keeps it.
_COMMITTING_FIXTURES = {"transactional_db", "live_server", "django_db_serialized_rollback"}
_committed = False


def pytest_collection_modifyitems(items):
    """Every test that drives the real browser carries the `browser` marker (see pyproject.toml)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def pytest_runtest_setup(item):
    global _committed
    marker = item.get_closest_marker("django_db")
    if _COMMITTING_FIXTURES & set(item.fixturenames) or (
        marker and marker.kwargs.get("transaction")
    ):
        _committed = True


def pytest_sessionfinish(session):
    if not _committed:
        return
    from pathlib import Path

    from django.conf import settings

    database = settings.DATABASES["default"]
    name = database.get("TEST", {}).get("NAME")
    if database["ENGINE"] == "django.db.backends.sqlite3" and name:
        Path(name).unlink(missing_ok=True)

"""One `seed_demo` town for every app's check of what the demo holds.

Seeding takes about twenty seconds; each app's demo test used to seed (twice) on its own. Here
the town is built once for the package, in a transaction rolled back after its last test; each
test runs in a savepoint inside it. That a second run writes nothing at all is checked once, for
every app together (test_directory.py `test_a_second_run_writes_nothing`).
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="package")
def demo_town(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo town's `seed_demo` output; media files in a folder of the package's own."""
    out = io.StringIO()
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("demo-media")))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", stdout=out)
        except BaseException as error:
            outer.__exit__(type(error), error, error.__traceback__)
            media.disable()
            raise
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    media.disable()

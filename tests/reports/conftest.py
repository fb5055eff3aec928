import pytest


@pytest.fixture(autouse=True)
def _plan_targets(db):
    """The migration's targets, back after a live-server test flushed the database."""
    from reports.models import Target
    from reports.plan import plan_targets_create

    plan_targets_create(Target)

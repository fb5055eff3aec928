"""Settings of the beats that tests/test_celery_beat.py starts: the test settings, with none of
the project's periodic tasks (the test's own rows are the schedule) and tasks sent, not run."""

from config.settings.test import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {}
CELERY_TASK_ALWAYS_EAGER = False

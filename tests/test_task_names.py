"""Celery task names: each task says it is one, and the beat schedule still finds every task."""

import importlib

from celery import current_app
from django.conf import settings

TASK_MODULES = ["directory.tasks", "reports.tasks", "training.tasks", "certificates.tasks"]


def task_functions():
    for module_name in TASK_MODULES:
        module = importlib.import_module(module_name)
        for attribute, value in vars(module).items():
            if hasattr(value, "delay") and getattr(value, "__module__", "") == module_name:
                yield module_name, attribute, value


def test_every_task_is_named_as_one_and_keeps_its_registered_name():
    found = list(task_functions())
    assert len(found) == 13
    for module_name, attribute, task in found:
        assert attribute.endswith("_task"), attribute
        # The name queued messages and the beat schedule use is the one before the rename.
        assert task.name == f"{module_name}.{attribute.removesuffix('_task')}"


def test_every_scheduled_job_names_a_registered_task():
    current_app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in current_app.tasks, entry["task"]

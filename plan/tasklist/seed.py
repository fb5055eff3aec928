"""The plan's items and tasks loaded from the seed file, for `load_plan_tasks` and `seed_demo`."""

from django.utils.translation import gettext as _

from plan.tasklist.services import SEED_FILE, plan_tasks_load


def plan_tasks_seed(*, stdout, path=SEED_FILE) -> None:
    """Load what is missing and say so in one line (a second run writes nothing)."""
    result = plan_tasks_load(path=path)
    stdout.write(
        _("Plan task list: %(items)d plan items and %(tasks)d tasks created.")
        % {"items": result.items_created, "tasks": result.tasks_created}
    )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    """The town plan as a task list (徐泾镇三年行动方案 五(六)): tasks per plan item with their
    units and deadlines, monthly progress per task, and the town office's follow-up."""

    name = "plan"
    label = "plan"
    verbose_name = _("Plan task list")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from plan.tasklist.selectors import scopes_register

        scopes_register()
        from plan.tasklist.wiring import tasklist_register

        tasklist_register()

        from plan.followup.home import followup_register

        followup_register()

        from plan.subplans.wiring import subplans_meetings_register

        subplans_meetings_register()

    def seed_demo(self, stdout) -> None:
        """The plan's items and tasks from the seed file, for `manage.py seed_demo`."""
        from plan.tasklist.seed import plan_tasks_seed

        plan_tasks_seed(stdout=stdout)

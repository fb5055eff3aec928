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
        from plan.followup.home import followup_register
        from plan.progress.registry import progress_register
        from plan.subplans.wiring import subplans_meetings_register
        from plan.tasklist.selectors import scopes_register
        from plan.tasklist.wiring import tasklist_register

        scopes_register()
        tasklist_register()
        followup_register()
        subplans_meetings_register()
        progress_register()

    def seed_demo(self, stdout) -> None:
        """The plan's items and tasks from the seed file, for `manage.py seed_demo`, then the
        units' task lines in their monthly reports."""
        from plan.progress.demo import progress_seed
        from plan.tasklist.seed import plan_tasks_seed

        plan_tasks_seed(stdout=stdout)
        progress_seed(stdout=stdout)

"""What the task list registers when the app is ready: its import kind (`import_data tasks`),
its rights per role and the back office's permission policy for tasks."""

from django.utils.translation import gettext_lazy as _

from directory.constants import AccountRole

# Rights per role on the task list's models, added to the registry's role table: the town office
# keeps the list; departments and villages read the tasks they have a part in (the scoping
# narrows which).
TASK_RIGHTS = {
    AccountRole.TOWN_OFFICE: {
        "plan.task": {"add", "change", "delete", "view"},
        "plan.planitem": {"change", "view"},
    },
    AccountRole.DEPARTMENT_OFFICER: {"plan.task": {"view"}, "plan.planitem": {"view"}},
    AccountRole.VILLAGE_OFFICER: {"plan.task": {"view"}, "plan.planitem": {"view"}},
}


def tasklist_register() -> None:
    from wagtail.permissions import register_permission_policy

    from directory.importing.resources import import_kind_register
    from directory.permissions import ROLE_PERMISSIONS, ScopedPermissionPolicy
    from directory.scoping import scope_register
    from plan.tasklist.importing import TaskResource
    from plan.tasklist.models import PlanItem, Task
    from plan.tasklist.selectors import plan_items_editable_by, plan_items_visible_to

    import_kind_register("tasks", resource=TaskResource, label=_("Plan tasks"))
    for role, rights in TASK_RIGHTS.items():
        ROLE_PERMISSIONS.setdefault(role, {}).update(rights)
    scope_register(PlanItem, visible=plan_items_visible_to, editable=plan_items_editable_by)
    register_permission_policy(Task, ScopedPermissionPolicy(Task))
    register_permission_policy(PlanItem, ScopedPermissionPolicy(PlanItem))

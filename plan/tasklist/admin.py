"""The task list's screens in the back office, under the 任务清单 menu: tasks (listed, filtered,
created and edited by the town office; read by the units taking part) and the plan's items."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from plan.menu import PLAN_MENU_HOOK
from plan.tasklist.views import PlanItemViewSet, TaskViewSet

task_viewset = TaskViewSet()
plan_item_viewset = PlanItemViewSet()


@hooks.register("register_admin_viewset")
def register_tasklist_viewsets():
    return [task_viewset, plan_item_viewset]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register(PLAN_MENU_HOOK)
def register_tasks_menu_item():
    return PermissionMenuItem(
        _("Tasks"),
        reverse("plan_tasks:index"),
        name="plan-tasks",
        icon_name="tasks",
        order=100,
        permission="plan.view_task",
    )


@hooks.register(PLAN_MENU_HOOK)
def register_plan_items_menu_item():
    return PermissionMenuItem(
        _("Plan items"),
        reverse("plan_items:index"),
        name="plan-items",
        icon_name="list-ol",
        order=190,
        permission="plan.view_planitem",
    )

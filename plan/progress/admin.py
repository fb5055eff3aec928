"""The task progress in the back office: its screens and, for departments and villages, the
menu item of their tasks (the town office reaches the list from its home)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from plan.menu import PLAN_MENU_HOOK
from plan.progress import views
from reports.selectors.monthly import reporting_unit_of

urlpatterns = [
    path("tasks/", views.task_list, name="tasks"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]


@hooks.register("register_admin_urls")
def register_progress_urls():
    return [
        path(
            "plan/progress/",
            include((urlpatterns, "plan_progress"), namespace="plan_progress"),
        )
    ]


class UnitTasksMenuItem(MenuItem):
    def is_shown(self, request):
        return reporting_unit_of(request.user) is not None


@hooks.register(PLAN_MENU_HOOK)
def register_unit_tasks_menu_item():
    return UnitTasksMenuItem(
        _("Our unit's tasks"),
        reverse("plan_progress:tasks"),
        name="plan-unit-tasks",
        icon_name="tasks",
        order=20,
    )

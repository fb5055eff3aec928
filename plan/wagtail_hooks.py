"""The task list in Wagtail's back office: one 任务清单 menu; each domain's admin module registers
its screens (register_admin_urls, register_admin_viewset) and its menu items (PLAN_MENU_HOOK)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from plan.menu import PLAN_MENU_HOOK


@hooks.register("register_admin_menu_item")
def register_plan_menu():
    # Shown to a role only when at least one of its items is.
    return SubmenuMenuItem(
        _("Task list"),
        Menu(register_hook_name=PLAN_MENU_HOOK),
        name="plan",
        icon_name="tasks",
        order=230,
    )


# Each domain's admin module, imported for the hooks it registers (one line per domain).
import plan.board.admin  # noqa: E402, F401
import plan.followup.admin  # noqa: E402, F401
import plan.meetings.admin  # noqa: E402, F401
import plan.progress.admin  # noqa: E402, F401
import plan.subplans.admin  # noqa: E402, F401
import plan.tasklist.admin  # noqa: E402, F401

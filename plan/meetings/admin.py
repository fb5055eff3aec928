"""Dispatch meetings in the back office: URLs under /admin/plan/meetings/ and the 任务清单 menu
item (the town office records meetings; a department or village reads its decisions)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from directory.constants import AccountRole
from directory.scoping import account_role
from plan.menu import PLAN_MENU_HOOK

MEETING_ROLES = frozenset(
    {AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER, AccountRole.VILLAGE_OFFICER}
)


@hooks.register("register_admin_urls")
def register_meeting_urls():
    from plan.meetings import views

    return [path("plan/meetings/", include((views.urlpatterns, "meetings"), namespace="meetings"))]


class MeetingMenuItem(MenuItem):
    def is_shown(self, request):
        return account_role(request.user) in MEETING_ROLES


@hooks.register(PLAN_MENU_HOOK)
def register_meeting_menu_item():
    return MeetingMenuItem(
        _("Dispatch meetings"),
        reverse("meetings:index"),
        name="dispatch-meetings",
        icon_name="group",
        order=70,
    )

"""Sub-plans in the back office: URLs under /admin/plan/subplans/ and the 任务清单 menu item,
shown to the town office and to every department and village."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from directory.constants import AccountRole
from directory.scoping import account_role
from plan.menu import PLAN_MENU_HOOK

SUBPLAN_ROLES = frozenset(
    {AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER, AccountRole.VILLAGE_OFFICER}
)


@hooks.register("register_admin_urls")
def register_subplan_urls():
    from plan.subplans import views

    return [path("plan/subplans/", include((views.urlpatterns, "subplans"), namespace="subplans"))]


class SubPlanMenuItem(MenuItem):
    def is_shown(self, request):
        return account_role(request.user) in SUBPLAN_ROLES


@hooks.register(PLAN_MENU_HOOK)
def register_subplan_menu_item():
    return SubPlanMenuItem(
        _("Sub-plans"), reverse("subplans:index"), name="subplans", icon_name="doc-full", order=60
    )

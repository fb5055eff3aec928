"""Coverage in Wagtail's back office: dashboard, targets, exemplary enterprises, monthly reports;
and each role's home (the dashboard's "to do" panel) and which of Wagtail's own menus it sees."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSetGroup

from directory.constants import AccountRole
from directory.scoping import account_role
from reports.selectors.scoping import dashboard_scope_for
from reports.views.home import home_panels_for
from reports.views.targets_admin import ExemplaryViewSet, TargetViewSet

# Not Wagtail's "register_reports_menu_item": that one fills Wagtail's own Reports menu (locked
# pages, workflows, site history), which would then show under 覆盖率 and 覆盖率's items twice.
REPORTS_MENU_HOOK = "register_coverage_menu_item"

# Wagtail's Reports menu (page reports, site history) means something to those who run the site's
# pages and history: the town office and the editor.
WAGTAIL_REPORTS_ROLES = frozenset({AccountRole.TOWN_OFFICE, AccountRole.EDITOR})


class ReportsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Coverage")
    menu_icon = "list-ul"
    menu_order = 220
    submenu_hook = REPORTS_MENU_HOOK
    items = (TargetViewSet, ExemplaryViewSet)


@hooks.register("register_admin_viewset")
def register_reports_viewsets():
    return ReportsViewSetGroup()


@hooks.register("register_admin_urls")
def register_coverage_urls():
    from reports.views import dashboard, monthly_admin

    return [
        path(
            "reports/coverage/",
            include((dashboard.urlpatterns, "coverage"), namespace="coverage"),
        ),
        path(
            "reports/monthly/",
            include((monthly_admin.urlpatterns, "monthly_reports"), namespace="monthly_reports"),
        ),
    ]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return dashboard_scope_for(request.user) is not None


@hooks.register(REPORTS_MENU_HOOK)
def register_dashboard_menu_item():
    return DashboardMenuItem(
        _("Coverage dashboard"),
        reverse("coverage:dashboard"),
        name="coverage-dashboard",
        icon_name="view",
        order=10,
    )


@hooks.register(REPORTS_MENU_HOOK)
def register_monthly_menu_item():
    return DashboardMenuItem(
        _("Monthly reports"),
        reverse("monthly_reports:index"),
        name="monthly-reports",
        icon_name="doc-full",
        order=20,
    )


@hooks.register("construct_main_menu")
def hide_wagtail_reports(request, menu_items):
    if account_role(request.user) not in WAGTAIL_REPORTS_ROLES:
        menu_items[:] = [item for item in menu_items if item.name != "reports"]


@hooks.register("construct_homepage_panels")
def role_home_panels(request, panels):
    """The role's "to do" and figures first; Wagtail's page panels only for those who run the
    pages."""
    if account_role(request.user) not in WAGTAIL_REPORTS_ROLES:
        panels[:] = []
    panels[:0] = home_panels_for(request)

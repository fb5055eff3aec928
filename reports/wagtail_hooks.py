"""Coverage in Wagtail's back office: dashboard, targets, exemplary enterprises, monthly reports."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSetGroup

from reports.selectors.scoping import dashboard_scope_for
from reports.views.targets_admin import ExemplaryViewSet, TargetViewSet

REPORTS_MENU_HOOK = "register_reports_menu_item"


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

"""Coverage in Wagtail's back office: dashboard, targets, exemplary enterprises, monthly reports."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSetGroup

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

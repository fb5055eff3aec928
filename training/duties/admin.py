"""The 五带头 items in Wagtail's back office: the town safety office words them, orders them,
retires them and confirms their wording (until then the screens say it is unconfirmed); and a menu
link to the front-office duties page."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from directory.views.booleans import YesNoColumn
from training.duties.models import DutyItem


class DutyItemViewSet(ModelViewSet):
    model = DutyItem
    icon = "list-ol"
    menu_label = _("Five leads by example (五带头) items")
    menu_order = 215
    add_to_admin_menu = True
    name = "duty_items"
    form_fields = [
        "code",
        "title",
        "guidance",
        "source",
        "wording_confirmed",
        "sort_order",
        "active",
    ]
    # 是 / 否, never True / False (directory.views.booleans), as on every registry screen.
    list_display = [
        "title",
        YesNoColumn("wording_confirmed", label=_("wording confirmed")),
        YesNoColumn("active", label=_("in use")),
        "sort_order",
    ]
    list_filter = ["wording_confirmed", "active"]


@hooks.register("register_admin_viewset")
def register_duty_items_viewset():
    return DutyItemViewSet()


class DutiesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("training.view_principalchecklist")


@hooks.register("register_admin_menu_item")
def register_duties_menu_item():
    return DutiesMenuItem(_("Principals' duties"), "/duties/", icon_name="user", order=216)

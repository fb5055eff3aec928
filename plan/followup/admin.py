"""The follow-up's screens in the back office's 任务清单 menu: 督办, 约谈, 通报."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from plan.followup import views
from plan.menu import PLAN_MENU_HOOK


@hooks.register("register_admin_urls")
def register_followup_urls():
    return [
        path(
            "plan/followup/",
            include((views.urlpatterns, "plan_followup"), namespace="plan_followup"),
        )
    ]


class FollowUpMenuItem(MenuItem):
    def is_shown(self, request):
        return views.may_follow_up(request.user)


@hooks.register(PLAN_MENU_HOOK)
def register_orders_menu_item():
    return FollowUpMenuItem(
        _("Follow-up orders"),
        reverse("plan_followup:orders"),
        name="plan-follow-ups",
        icon_name="warning",
        order=60,
    )


@hooks.register(PLAN_MENU_HOOK)
def register_talks_menu_item():
    return FollowUpMenuItem(
        _("Talks"), reverse("plan_followup:talks"), name="plan-talks", icon_name="group", order=70
    )


@hooks.register(PLAN_MENU_HOOK)
def register_bulletins_menu_item():
    return FollowUpMenuItem(
        _("Bulletins"),
        reverse("plan_followup:bulletins"),
        name="plan-bulletins",
        icon_name="doc-full",
        order=80,
    )

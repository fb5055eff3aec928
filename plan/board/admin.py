"""The task board's back-office pages and its item in the 任务清单 menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from plan.board.selectors import board_allowed
from plan.board.views import board_export, board_task_view, board_view
from plan.menu import PLAN_MENU_HOOK


@hooks.register("register_admin_urls")
def register_board_urls():
    return [
        path("plan/board/", board_view, name="plan_board"),
        path("plan/board/export/", board_export, name="plan_board_export"),
        path("plan/board/tasks/<int:pk>/", board_task_view, name="plan_board_task"),
    ]


class BoardMenuItem(MenuItem):
    def is_shown(self, request):
        return board_allowed(request.user)


@hooks.register(PLAN_MENU_HOOK)
def register_board_menu_item():
    return BoardMenuItem(
        _("Task board"), reverse("plan_board"), name="plan-board", icon_name="table", order=100
    )

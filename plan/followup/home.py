"""The follow-up's lines on the role homes, and its registrations (called from PlanConfig.ready)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.models import User
from plan.followup.selectors import orders_awaiting_closure, orders_awaiting_unit
from plan.followup.selectors import scopes_register as followup_scopes_register
from reports.selectors.home import TodoLine, When, home_line_register


def _orders_to_answer(user: User, when: When) -> TodoLine:
    return TodoLine(
        "follow_ups_to_answer",
        _("Follow-up orders to acknowledge or answer"),
        orders_awaiting_unit(user).count(),
        reverse("plan_followup:orders") + "?status=to_act",
    )


def _orders_to_close(user: User, when: When) -> TodoLine:
    return TodoLine(
        "follow_ups_to_close",
        _("Answered follow-up orders to close"),
        orders_awaiting_closure(user).count(),
        reverse("plan_followup:orders") + "?status=answered",
    )


def followup_register() -> None:
    followup_scopes_register()
    home_line_register(AccountRole.DEPARTMENT_OFFICER, _orders_to_answer)
    home_line_register(AccountRole.VILLAGE_OFFICER, _orders_to_answer)
    home_line_register(AccountRole.TOWN_OFFICE, _orders_to_close)

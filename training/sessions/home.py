"""The sessions' line on the town office's home: the town leaders' duties of the year not done
yet (registered from PlanConfig.ready, as every domain's home line is)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.models import User
from reports.selectors.home import TodoLine, When, home_line_register
from training.sessions.selectors.duties import leaders_duties_open


def _leaders_duties_open(user: User, when: When) -> TodoLine | None:
    count = leaders_duties_open(user=user, now=when.now)
    if not count:
        return None
    return TodoLine(
        "leaders_duties_open",
        _("Town leaders' safety duties not done yet"),
        count,
        reverse("session_leaders_duties"),
    )


def sessions_home_register() -> None:
    home_line_register(AccountRole.TOWN_OFFICE, _leaders_duties_open)

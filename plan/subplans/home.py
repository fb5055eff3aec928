"""The sub-plan lines of the back-office homes: what a unit still owes, what the town office
has to review. A line shows only when there is something to do."""

from django.urls import reverse
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from plan.subplans.selectors import rounds_owed_by, subplans_awaiting_review
from reports.selectors.home import TodoLine, When, home_line_register


def subplans_owed(user, when: When) -> TodoLine | None:
    owed = len(rounds_owed_by(user))
    if not owed:
        return None
    return TodoLine(
        "subplans_owed",
        _("Sub-plans to upload or revise"),
        owed,
        reverse("subplans:index"),
    )


def subplans_to_review(user, when: When) -> TodoLine | None:
    count = subplans_awaiting_review(user).count()
    if not count:
        return None
    return TodoLine(
        "subplans_to_review",
        _("Sub-plans awaiting review"),
        count,
        reverse("subplans:index") + "?status=pending",
    )


def home_lines_register() -> None:
    home_line_register(AccountRole.DEPARTMENT_OFFICER, subplans_owed)
    home_line_register(AccountRole.VILLAGE_OFFICER, subplans_owed)
    home_line_register(AccountRole.TOWN_OFFICE, subplans_to_review)

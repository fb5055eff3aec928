"""The task list's lines on each role's back-office home (reports.selectors.home): a unit's
overdue tasks and the tasks it has not yet reported on this month; the town's overdue tasks.
Reports not sent are the reports app's own line (units_overdue), not counted again here."""

from django.urls import reverse
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.models import User
from plan.progress.selectors import overdue_tasks, tasks_without_progress
from plan.tasklist.models import TaskStatus
from reports.selectors.home import TodoLine, When, home_line_register


def _overdue_url() -> str:
    # The task list (plan.tasklist), scoped to what the user sees, filtered to overdue tasks.
    return reverse("plan_tasks:index") + f"?current_status={TaskStatus.OVERDUE}"


def unit_tasks_overdue(user: User, when: When) -> TodoLine:
    return TodoLine(
        "tasks_overdue",
        _("Our unit's tasks past their deadline"),
        overdue_tasks(user, today=when.today).count(),
        _overdue_url(),
    )


def unit_progress_missing(user: User, when: When) -> TodoLine | None:
    missing = tasks_without_progress(user, today=when.today)
    if missing is None:
        return None
    return TodoLine(
        "task_progress_missing",
        _("Tasks without progress in this month's report"),
        missing,
        reverse("monthly_reports:index"),
    )


def town_tasks_overdue(user: User, when: When) -> TodoLine:
    return TodoLine(
        "tasks_overdue",
        _("Tasks in the town past their deadline"),
        overdue_tasks(user, today=when.today).count(),
        _overdue_url(),
    )


def home_lines_register() -> None:
    for role in (AccountRole.DEPARTMENT_OFFICER, AccountRole.VILLAGE_OFFICER):
        home_line_register(role, unit_tasks_overdue)
        home_line_register(role, unit_progress_missing)
    home_line_register(AccountRole.TOWN_OFFICE, town_tasks_overdue)

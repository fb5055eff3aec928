"""What each role has to do now, for its back-office home: one line per item, a count and the
screen where it is done.

Every count is read from the selector that owns the figure (the screen the line links to reads
the same one), so the home never disagrees with the list behind it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certificates.selectors.registry import certificates_needing_action, certification_gaps
from content.selectors import (
    campaign_index,
    next_publicity_date,
    pages_in_moderation,
    pages_with_drafts,
)
from directory.constants import AccountRole
from directory.models import User
from directory.scoping import account_role
from reports.metrics import Kind, Measure
from reports.models import Target
from reports.selectors.coverage import MetricFigures, dashboard_figures
from reports.selectors.lagging import lagging_count
from reports.selectors.monthly import due_date, late_units, report_due_for, units_not_sent
from reports.selectors.scoping import dashboard_scope_for, figures_scope_for
from training.common.roles import REVIEWER_ROLES
from training.drills.selectors.attention import drill_attention_count
from training.drills.selectors.obligations import obligation_enterprises_for
from training.drills.selectors.records import drill_records_awaiting_review
from training.learning.selectors.records import enterprise_statuses
from training.learning.selectors.requirements import INITIAL_MISSING, SHORT
from training.sessions.selectors.duties import leaders_duties_open
from training.sessions.selectors.scoping import sessions_to_confirm


@dataclass(frozen=True)
class TodoLine:
    """One thing to do: what, how many, where."""

    key: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class FigureLine(TodoLine):
    """One of this month's figures: the count is what is not covered (the list it links to),
    beside the figure and the target that applies."""

    measure: Measure | None = None
    unit_label: str = ""
    target: Target | None = None
    gap: float | None = None


@dataclass(frozen=True)
class When:
    today: datetime.date
    now: datetime.datetime
    # What several lines of one home read (this month's figures), counted once.
    cache: dict = field(default_factory=dict, compare=False)


def _figures(user: User, when: When) -> list[MetricFigures] | None:
    """This month's figures of the user's scope (the dashboard's, or the manager's enterprise)."""
    if "figures" not in when.cache:
        scope = figures_scope_for(user)
        when.cache["figures"] = (
            None
            if scope is None
            else dashboard_figures(
                scope=scope,
                year=when.today.year,
                month=when.today.month,
                today=when.today,
                with_rankings=False,
            )
        )
    return when.cache["figures"]


def _hours_short(user: User, when: When) -> TodoLine | None:
    if user.enterprise is None:
        return None
    statuses = enterprise_statuses(
        enterprise=user.enterprise, year=when.today.year, today=when.today
    )
    short = sum(1 for status in statuses if status.status in (SHORT, INITIAL_MISSING))
    return TodoLine(
        "hours_short",
        _("People short of training hours"),
        short,
        reverse("learning:enterprise_status"),
    )


def _certificates_expiring(user: User, when: When) -> TodoLine:
    return TodoLine(
        "certificates_expiring",
        _("Certificates expiring or lapsed"),
        certificates_needing_action(user, when.today).count(),
        reverse("registered_certificates:index"),
    )


def _certification_gaps(user: User, when: When) -> TodoLine:
    return TodoLine(
        "certification_gaps",
        _("People at work without the certificate their post needs (持证上岗)"),
        len(certification_gaps(user=user, today=when.today)),
        reverse("certification_gaps:index"),
    )


def _drills_due(user: User, when: When) -> TodoLine:
    return TodoLine(
        "drills_due",
        _("Enterprises with a drill due or overdue"),
        drill_attention_count(obligation_enterprises_for(user), when.today),
        reverse("drill_attention:index"),
    )


def _sessions_to_confirm(user: User, when: When) -> TodoLine:
    return TodoLine(
        "sessions_to_confirm",
        _("Ended sessions whose attendance is not confirmed"),
        sessions_to_confirm(user, when.now).count(),
        reverse("training_sessions:index"),
    )


def _coverage_below_target(user: User, when: When) -> TodoLine | None:
    if dashboard_scope_for(user) is None:
        return None
    figures = _figures(user, when)
    below = sum(1 for figure in figures if figure.gap)
    return TodoLine(
        "coverage_below_target",
        _("Coverage figures below their target"),
        below,
        reverse("coverage:dashboard"),
    )


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


def _units_lagging(user: User, when: When) -> TodoLine | None:
    scope = dashboard_scope_for(user)
    if scope is None:
        return None
    lagging = lagging_count(
        scope=scope, year=when.today.year, month=when.today.month, today=when.today
    )
    return TodoLine(
        "units_lagging",
        _("Enterprises lagging on the plan's figures"),
        lagging,
        reverse("coverage:lagging"),
    )


def _reviews_waiting(user: User, when: When) -> TodoLine | None:
    if account_role(user) not in REVIEWER_ROLES:
        return None
    return TodoLine(
        "reviews_waiting",
        _("Drill records waiting for review"),
        drill_records_awaiting_review(user).count(),
        reverse("drill_records:index") + "?review_status=submitted",
    )


def _report_due(user: User, when: When) -> TodoLine | None:
    due = report_due_for(user, when.today)
    if due is None:
        return None
    return TodoLine(
        "report_due",
        _("This month's report to send by %(date)s")
        % {"date": date_format(due.due, "DATE_FORMAT")},
        0 if due.sent else 1,
        reverse("monthly_reports:index"),
    )


def _units_overdue(user: User, when: When) -> TodoLine:
    year, month = when.today.year, when.today.month
    due = due_date(year, month)
    if when.today > due:
        label, units = _("Units late with this month's report"), late_units(year, month, when.today)
    else:
        label = _("Units yet to send this month's report (due %(date)s)") % {
            "date": date_format(due, "DATE_FORMAT")
        }
        units = units_not_sent(year, month)
    return TodoLine("units_overdue", label, len(units), reverse("monthly_reports:index"))


def _drafts(user: User, when: When) -> TodoLine:
    return TodoLine(
        "drafts",
        _("Pages with unpublished changes"),
        pages_with_drafts(user).count(),
        reverse("content_drafts"),
    )


def _in_moderation(user: User, when: When) -> TodoLine:
    return TodoLine(
        "in_moderation",
        _("Pages waiting for review"),
        pages_in_moderation(user).count(),
        reverse("wagtailadmin_reports:workflow") + "?status=in_progress",
    )


def _next_campaign(user: User, when: When) -> TodoLine | None:
    found = next_publicity_date(when.today)
    if found is None:
        return None
    start, entry = found
    # The campaign pages are where the editor prepares it (the calendar is the town office's).
    index = campaign_index()
    url = (
        reverse("wagtailadmin_explore", args=[index.pk])
        if index
        else reverse("wagtailadmin_explore_root")
    )
    return TodoLine(
        "next_campaign",
        _("Days until %(name)s (%(date)s)")
        % {"name": entry.name, "date": date_format(start, "DATE_FORMAT")},
        max(0, (start - when.today).days),
        url,
    )


Line = Callable[[User, When], TodoLine | None]

LINES_OF_ROLE: dict[str, tuple[Line, ...]] = {
    AccountRole.ENTERPRISE_MANAGER: (
        _hours_short,
        _certificates_expiring,
        _certification_gaps,
        _drills_due,
        _sessions_to_confirm,
    ),
    AccountRole.DEPARTMENT_OFFICER: (
        _coverage_below_target,
        _units_lagging,
        _drills_due,
        _reviews_waiting,
        _sessions_to_confirm,
        _report_due,
    ),
    AccountRole.VILLAGE_OFFICER: (
        _coverage_below_target,
        _units_lagging,
        _drills_due,
        _reviews_waiting,
        _report_due,
    ),
    AccountRole.TOWN_OFFICE: (
        _coverage_below_target,
        _units_overdue,
        _reviews_waiting,
        _sessions_to_confirm,
        _leaders_duties_open,
    ),
    AccountRole.EDITOR: (_drafts, _in_moderation, _next_campaign),
}


# Lines that apps above reports (the plan's task list) add to a role's home from their ready().
REGISTERED_LINES: dict[str, list[Line]] = {}


def home_line_register(role: str, line: Line) -> None:
    """Add a line to a role's home, after the role's own lines; registering twice is a no-op."""
    lines = REGISTERED_LINES.setdefault(role, [])
    if line not in lines:
        lines.append(line)


def todo_lines(user: User, *, today: datetime.date, now: datetime.datetime) -> list[TodoLine]:
    """The user's role's lines (none for a learner or a role without a home)."""
    return role_lines(user, When(today, now))


def home_lines(
    user: User, *, today: datetime.date, now: datetime.datetime
) -> tuple[list[TodoLine], list[FigureLine]]:
    """The role's lines and this month's figures, the figures counted once for both."""
    when = When(today, now)
    return role_lines(user, when), figure_lines(user, when)


def role_lines(user: User, when: When) -> list[TodoLine]:
    role = account_role(user)
    own = (*LINES_OF_ROLE.get(role, ()), *REGISTERED_LINES.get(role, ()))
    lines = (line(user, when) for line in own)
    return [line for line in lines if line is not None]


# The roles whose home shows this month's figures beside their lines.
FIGURE_ROLES = frozenset(
    {
        AccountRole.ENTERPRISE_MANAGER,
        AccountRole.DEPARTMENT_OFFICER,
        AccountRole.VILLAGE_OFFICER,
        AccountRole.TOWN_OFFICE,
    }
)


def figure_lines(user: User, when: When) -> list[FigureLine]:
    """This month's figures of the user's scope — the manager's enterprise, the officer's unit, the
    town — each with how many are not covered and the list of them (coverage:uncovered, which
    reads the same metric for the same scope). Rates with nobody to count (a village has no
    inspectors; an enterprise outside the key industries no principal to train) are left out,
    and so are counts (exemplary enterprises: on the dashboard)."""
    if account_role(user) not in FIGURE_ROLES:
        return []
    lines = []
    for fig in _figures(user, when) or []:
        if fig.metric.kind != Kind.RATE or fig.measure is None or not fig.measure.denominator:
            continue
        lines.append(
            FigureLine(
                f"figure_{fig.metric.code}",
                str(fig.metric.label),
                fig.measure.denominator - fig.measure.numerator,
                reverse("coverage:uncovered", args=[fig.metric.code]),
                measure=fig.measure,
                unit_label=str(fig.metric.unit_label),
                target=fig.target,
                gap=fig.gap,
            )
        )
    return lines

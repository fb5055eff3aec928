"""Writes of the dispatch meetings: the town office records a meeting with its decisions, and
any decision can become a task of the task list (source: dispatch meeting) with its plan item,
lead unit and deadline. A meeting and all its decisions and tasks are written in one
transaction: one bad decision row writes nothing, and the message names the row."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from directory import messages
from directory.constants import AccountRole
from directory.models import Department, User, Village
from directory.scoping import account_role
from directory.services import NotificationDraft, notifications_send
from plan.meetings.models import DispatchMeeting, MeetingDecision
from plan.tasklist.models import PlanItem, Task, TaskSource, TaskUnit, TaskUnitRole
from reports.selectors.monthly import ReportingUnit

MEETINGS_URL = "/admin/plan/meetings/"


@dataclass(frozen=True)
class DecisionInput:
    """One decision as typed on the meeting screen; `make_task` turns it into a task."""

    text: str
    make_task: bool = False
    title: str = ""
    plan_item: PlanItem | None = None
    department: Department | None = None
    village: Village | None = None
    deadline: datetime.date | None = None
    # The row on the screen, for messages (blank rows are left out); else its place in the list.
    row: int | None = None


def _town_office(user: User) -> None:
    if account_role(user) != AccountRole.TOWN_OFFICE:
        raise PermissionDenied(_("Only the town safety office records dispatch meetings."))


def _check(decisions: list[DecisionInput], held_on: datetime.date) -> None:
    """Every row's problems, each naming its row, or nothing."""
    problems = []
    for place, decision in enumerate(decisions, start=1):
        row = decision.row or place

        def refuse(message, row=row):
            problems.append(_("Decision %(row)s: %(problem)s") % {"row": row, "problem": message})

        if not decision.text.strip():
            refuse(_("the decision is empty."))
        if not decision.make_task:
            continue
        if decision.plan_item is None:
            refuse(_("choose the plan item the task comes from."))
        if (decision.department is None) == (decision.village is None):
            refuse(_("choose one lead unit, a department or a village."))
        if decision.department is not None and decision.department.is_town_office:
            refuse(_("the lead unit must be a department or a village, not the town office."))
        if decision.deadline is None:
            refuse(_("give the task a deadline."))
        elif decision.deadline < held_on:
            refuse(_("the deadline is before the meeting."))
        if len(decision.title.strip() or decision.text.strip()) > 200:
            refuse(_("the task title is longer than 200 characters."))
    if problems:
        raise ValidationError(problems)


def _unit(decision: DecisionInput) -> ReportingUnit:
    if decision.department is not None:
        return ReportingUnit("department", decision.department.pk, decision.department.name)
    return ReportingUnit("village", decision.village.pk, decision.village.name)


def _write(user: User, meeting: DispatchMeeting, decisions: list[DecisionInput]) -> int:
    """The decisions (and their tasks) appended to the meeting; returns the tasks made."""
    start = meeting.decisions.aggregate(n=Max("number"))["n"] or 0
    drafts, made = [], 0
    for offset, decision in enumerate(decisions, start=1):
        number = start + offset
        task = None
        if decision.make_task:
            unit = _unit(decision)
            task = Task.objects.create(
                plan_item=decision.plan_item,
                title=(decision.title.strip() or decision.text.strip())[:200],
                deadline=decision.deadline,
                deliverable=decision.text.strip(),
                source=TaskSource.MEETING,
                key=f"DM{meeting.pk}-{number}",
            )
            TaskUnit.objects.create(task=task, role=TaskUnitRole.LEAD, **unit.report_filter)
            message = messages.meeting_task_assigned(
                unit=unit.name,
                meeting=str(meeting),
                decision=decision.text.strip(),
                task=task.title,
                deadline=task.deadline,
            )
            drafts += [
                NotificationDraft(
                    recipient_id=pk,
                    key=f"meeting-task:{task.pk}",
                    title=message.title,
                    body=message.body,
                    link=MEETINGS_URL,
                )
                for pk in unit.officers().values_list("pk", flat=True)
            ]
            made += 1
        MeetingDecision.objects.create(
            meeting=meeting, number=number, text=decision.text.strip(), task=task
        )
    notifications_send(drafts=drafts)
    return made


@transaction.atomic
def dispatch_meeting_record(
    *,
    user: User,
    held_on: datetime.date,
    place: str,
    chair: str,
    departments=(),
    villages=(),
    attendee_names: str = "",
    summary: str = "",
    decisions: list[DecisionInput],
) -> DispatchMeeting:
    """The meeting, its attendees and its decisions, with a task for each decision so marked."""
    _town_office(user)
    missing = {
        "held_on": held_on is None,
        "place": not (place or "").strip(),
        "chair": not (chair or "").strip(),
    }
    problems = {field: _("This field is required.") for field, empty in missing.items() if empty}
    if problems:
        raise ValidationError(problems)
    _check(decisions, held_on)
    meeting = DispatchMeeting.objects.create(
        held_on=held_on,
        place=place.strip(),
        chair=chair.strip(),
        attendee_names=attendee_names.strip(),
        summary=summary.strip(),
        created_by=user,
    )
    meeting.attending_departments.set(departments)
    meeting.attending_villages.set(villages)
    _write(user, meeting, decisions)
    return meeting


@transaction.atomic
def meeting_decisions_add(
    *, user: User, meeting: DispatchMeeting, decisions: list[DecisionInput]
) -> int:
    """More decisions of a recorded meeting; returns the tasks made."""
    _town_office(user)
    meeting = DispatchMeeting.objects.select_for_update().get(pk=meeting.pk)
    if not decisions:
        raise ValidationError(_("Type at least one decision."))
    _check(decisions, meeting.held_on)
    return _write(user, meeting, decisions)

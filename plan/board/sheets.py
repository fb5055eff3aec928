"""The board's rows as the page and the XLSX file both show them: one task per row, and the
counts per unit and per part."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.exports import Sheet
from directory.messages import date_text
from plan.board.selectors import BOARD_STATUSES, StatusCounts
from plan.tasklist.models import Task, TaskStatus, TaskUnitRole


@dataclass(frozen=True)
class TaskRow:
    pk: int
    key: str
    item: str
    title: str
    lead: str
    cooperating: str
    deadline: str
    status: str
    status_label: str

    def cells(self) -> list[str]:
        return [
            self.key,
            self.item,
            self.title,
            self.lead,
            self.cooperating,
            self.deadline,
            self.status_label,
        ]


TASK_HEADERS = [
    _("Task number"),
    _("Plan item"),
    _("Task"),
    _("Lead unit"),
    _("Cooperating unit"),
    pgettext_lazy("task", "Deadline"),
    _("Status"),
]


def task_row(task: Task) -> TaskRow:
    """A `board_task_list` task (units prefetched, `current_status` annotated)."""
    units = list(task.units.all())
    names = {
        role: "、".join(str(link) for link in units if link.role == role) for role in TaskUnitRole
    }
    return TaskRow(
        pk=task.pk,
        key=task.key,
        item=task.plan_item.code,
        title=task.title,
        lead=names[TaskUnitRole.LEAD],
        cooperating=names[TaskUnitRole.COOPERATING],
        deadline=date_text(task.deadline) if task.deadline else "",
        status=task.current_status,
        status_label=str(TaskStatus(task.current_status).label),
    )


def count_headers(first: str, *, lead: bool) -> list:
    headers = [first, _("Tasks")]
    if lead:
        headers.append(_("As lead unit"))
    return headers + [TaskStatus(status).label for status in BOARD_STATUSES]


def count_cells(row: StatusCounts, *, lead: bool) -> list:
    cells = [row.label, row.total]
    if lead:
        cells.append(row.lead)
    return cells + row.by_status


def board_sheets(
    tasks: Iterable[Task], units: list[StatusCounts], parts: list[StatusCounts]
) -> list[Sheet]:
    """The filtered task list first (the records the file covers), then the two count tables."""
    return [
        Sheet(_("Tasks"), TASK_HEADERS, (task_row(task).cells() for task in tasks)),
        Sheet(
            _("By unit"),
            count_headers(_("Unit"), lead=True),
            [count_cells(row, lead=True) for row in units],
        ),
        Sheet(
            _("By part of the plan"),
            count_headers(_("Part of the plan"), lead=False),
            [count_cells(row, lead=False) for row in parts],
        ),
    ]

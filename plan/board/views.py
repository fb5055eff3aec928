"""The task board in the back office: counts per unit and per plan part, the filtered task list,
one task's monthly history (its evidence files served by plan.progress) and the XLSX export."""

import itertools

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.exports import export_response
from directory.scoping import account_role
from plan.board.forms import BoardFilterForm
from plan.board.selectors import (
    BOARD_STATUSES,
    board_allowed,
    board_parts,
    board_task,
    board_task_list,
    board_tasks,
    board_units,
    board_years,
    counts_by_part,
    counts_by_unit,
    task_history,
)
from plan.board.sheets import board_sheets, count_headers, task_row
from plan.tasklist.models import Task, TaskStatus, TaskUnitRole
from plan.tasklist.wording import unconfirmed_notice
from reports.metrics.catalogue import metric_entry

TASKS_PER_PAGE = 50


def _require_board(request) -> None:
    if not board_allowed(request.user):
        raise PermissionDenied


def _filter_form(request) -> BoardFilterForm:
    user = request.user
    return BoardFilterForm(
        request.GET,
        years=board_years(user),
        parts=board_parts(user),
        units=board_units(user),
    )


def board_view(request):
    """The town office's board (a unit's officer: its own tasks and its own row)."""
    _require_board(request)
    form = _filter_form(request)
    tasks = board_tasks(request.user, form.filters(), today=timezone.localdate())
    page = Paginator(board_task_list(tasks), TASKS_PER_PAGE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "plan/board/index.html",
        {
            "form": form,
            "units": counts_by_unit(request.user, tasks),
            "parts": counts_by_part(tasks),
            "unit_headers": count_headers(_("Unit"), lead=True),
            "part_headers": count_headers(_("Part of the plan"), lead=False),
            "statuses": BOARD_STATUSES,
            "rows": [task_row(task) for task in page.object_list],
            "items": page,
            "elided_page_range": page.paginator.get_elided_page_range(page.number),
            "query": query.urlencode(),
        },
    )


def board_task_view(request, pk: int):
    """One task and its monthly history: each unit's progress per month as sent."""
    _require_board(request)
    task = board_task(request.user, pk, today=timezone.localdate())
    if task is None:
        raise Http404
    history = task_history(request.user, task)
    months = [
        (f"{year}年{month}月", list(lines))
        for (year, month), lines in itertools.groupby(
            history, key=lambda line: (line.report.year, line.report.month)
        )
    ]
    units = list(task.units.all())
    follow_up = ""
    if account_role(request.user) == AccountRole.TOWN_OFFICE:
        lead = next((u for u in units if u.role == TaskUnitRole.LEAD), None)
        query = {"task": task.pk}
        if lead is not None:
            kind = "department" if lead.department_id else "village"
            query["unit"] = f"{kind}:{lead.department_id or lead.village_id}"
        follow_up = reverse("plan_followup:order_issue") + "?" + urlencode(query)
    entry = metric_entry(task.indicator_metric) if task.indicator_metric else None
    return TemplateResponse(
        request,
        "plan/board/task.html",
        {
            "task": task,
            "row": task_row(task),
            "is_overdue": task.current_status == TaskStatus.OVERDUE,
            "lead_units": [u for u in units if u.role == TaskUnitRole.LEAD],
            "cooperating_units": [u for u in units if u.role == TaskUnitRole.COOPERATING],
            "indicator": entry.label if entry else "",
            "months": months,
            # The town office follows the task up from its page (督办), unit chosen in advance.
            "follow_up": follow_up,
            # The item's text is the seed's summary until the town office confirms it.
            "unconfirmed_notice": unconfirmed_notice(
                [] if task.plan_item.confirmed else [task.plan_item.code]
            ),
        },
    )


def board_export(request):
    """The board as XLSX: the filtered task list, then the counts per unit and per part."""
    _require_board(request)
    form = _filter_form(request)
    today = timezone.localdate()

    def build(visible, masking):
        # `visible` is the export path's own scoping of the tasks; the board's filters narrow it.
        tasks = board_tasks(request.user, form.filters(), today=today).filter(
            pk__in=visible.values("pk")
        )
        return board_sheets(
            board_task_list(tasks), counts_by_unit(request.user, tasks), counts_by_part(tasks)
        )

    return export_response(
        request,
        kind=_("Task board"),
        records=Task.objects.all(),
        build=build,
        filename=f"task-board-{today:%Y%m%d}.xlsx",
        fmt="xlsx",
    )

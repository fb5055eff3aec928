"""Back-office screens of the task progress: an evidence file, served to the report's viewers
only, and the list of tasks a user sees (the unit's own, or the town's), overdue ones on demand."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from directory.constants import AccountRole
from directory.files import stored_file_response
from directory.selectors import account_role
from plan.progress.evidence import evidence_content_type
from plan.progress.selectors import evidence_visible_to, overdue_tasks
from plan.tasklist.models import TaskStatus, TaskUnit
from plan.tasklist.selectors import tasks_visible_to, tasks_with_status
from reports.selectors.monthly import reporting_unit_of

PAGE_SIZE = 50


def evidence(request, pk):
    file = get_object_or_404(evidence_visible_to(request.user), pk=pk)
    return stored_file_response(
        file.file, content_type=evidence_content_type(file.file.name), filename=file.name
    )


def task_list(request):
    town = account_role(request.user) == AccountRole.TOWN_OFFICE
    if not town and reporting_unit_of(request.user) is None:
        raise PermissionDenied
    today = timezone.localdate()
    overdue = request.GET.get("status") == TaskStatus.OVERDUE
    tasks = (
        overdue_tasks(request.user, today=today)
        if overdue
        else tasks_with_status(tasks_visible_to(request.user), today=today)
    )
    units = TaskUnit.objects.select_related("department", "village")
    tasks = tasks.select_related("plan_item").prefetch_related(Prefetch("units", queryset=units))
    page = Paginator(tasks.order_by("deadline", "plan_item__sort_key", "key"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(
        request,
        "plan/progress/task_list.html",
        {"page_obj": page, "overdue": overdue, "town": town, "statuses": TaskStatus},
    )

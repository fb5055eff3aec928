"""The drill calendar in the back office: a server-rendered month grid, scoped like the lists."""

import datetime

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR as WEEKDAYS

from directory.constants import AccountRole
from directory.models import Department
from directory.selectors import account_role
from training.drills.selectors.calendar import drill_calendar


def _int(value, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


def drill_calendar_view(request):
    if not request.user.has_perm("training.view_drillrecord"):
        raise PermissionDenied
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year, 2000, 2100)
    month = _int(request.GET.get("month"), today.month, 1, 12)
    # The town office may look at one department's enterprises; others see their own scope.
    departments = Department.objects.none()
    department_id = None
    if account_role(request.user) == AccountRole.TOWN_OFFICE:
        departments = Department.objects.order_by("name")
        department_id = _int(request.GET.get("department"), 0, 1, 2**31) or None
    first = datetime.date(year, month, 1)
    previous = first - datetime.timedelta(days=1)
    following = first + datetime.timedelta(days=32)
    return TemplateResponse(
        request,
        "training/drills/admin/calendar.html",
        {
            "weeks": drill_calendar(request.user, year, month, department_id=department_id),
            "month": first,
            "previous": previous,
            "following": following,
            "departments": departments,
            "department_id": department_id,
            "weekdays": [WEEKDAYS[i] for i in range(7)],
        },
    )

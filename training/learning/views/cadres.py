"""The leading cadres' compulsory course in the back office: each cadre the officer sees, the
year's hours required and credited, and what is still missing."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone

from directory.constants import AccountRole
from directory.selectors import account_role
from training.learning.selectors.cadres import cadre_course_rows

# The town office sees every cadre; an officer those of the own department or village.
VIEWER_ROLES = frozenset(
    {AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER, AccountRole.VILLAGE_OFFICER}
)


def sees_cadres(user) -> bool:
    return account_role(user) in VIEWER_ROLES


def cadre_course_view(request):
    if not sees_cadres(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    rows = cadre_course_rows(user=request.user, year=year)
    return TemplateResponse(
        request,
        "training/learning/admin/cadre_course.html",
        {
            "rows": rows,
            "year": year,
            "short": sum(not row.met for row in rows),
            "required": rows[0].required if rows else None,
        },
    )

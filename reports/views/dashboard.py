"""The coverage dashboards (town, department, village) and the drill-down lists behind each number.

Every request's scope comes from `scope_requested`: never wider than the user's own.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from content.reach.selectors import reach_year
from directory.export_jobs import Export, export_job_response, worker_export
from directory.exports import Sheet
from directory.models import Department, Enterprise, Industry, Village
from reports.dashboard_html import dashboard_figures_html, scope_params
from reports.metrics import Kind, Scope, metric_get
from reports.selectors.lagging import lagging_page
from reports.selectors.scoping import scope_requested
from reports.selectors.uncovered import (
    uncovered_count,
    uncovered_for,
    uncovered_header,
    uncovered_rows,
)
from reports.services.reminders import coverage_remind


def period_of(request, today: datetime.date) -> tuple[int, int]:
    """The year and month asked for: this month by default, December of a past year."""
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year:
        year = today.year
    last = today.month if year == today.year else 12
    try:
        month = int(request.GET.get("month") or last)
    except ValueError:
        month = last
    return year, min(max(month, 1), last)


def scope_of(request, *, enterprise_ok: bool = False) -> Scope:
    scope = scope_requested(
        request.user,
        department=request.GET.get("department"),
        village=request.GET.get("village"),
        industry=request.GET.get("industry"),
        enterprise_ok=enterprise_ok,
    )
    if scope is None:
        raise PermissionDenied
    return scope


def scope_title(scope: Scope) -> str:
    """ "全镇", or the names of the units the scope is narrowed to."""
    names = []
    for model, pk in (
        (Department, scope.department_id),
        (Village, scope.village_id),
        (Industry, scope.industry_id),
        (Enterprise, scope.enterprise_id),
    ):
        if pk:
            names.append(model.objects.filter(pk=pk).values_list("name", flat=True).first() or "")
    return " · ".join(names) or _("Whole town")


def dashboard(request):
    scope = scope_of(request)
    today = timezone.localdate()
    year, month = period_of(request, today)
    return TemplateResponse(
        request,
        "reports/dashboard.html",
        {
            "figures_html": dashboard_figures_html(
                scope=scope,
                year=year,
                month=month,
                today=today,
                every_row=request.GET.get("all") == "1",
            ),
            "reach": reach_year(scope=scope, year=year, month=month),
            "scope": scope,
            "scope_title": scope_title(scope),
            "year": year,
            "month": month,
            "years": range(today.year, 2023, -1),
            "months": range(1, 13),
            "today": today,
            "scope_query": scope_params(scope, year, month),
        },
    )


@require_http_methods(["GET", "POST"])
def uncovered(request, code):
    metric = metric_get(code)
    # A count (exemplary enterprises) has nobody "not covered"; its ranking says who is short.
    if metric is None or metric.kind == Kind.COUNT:
        raise Http404
    # An enterprise manager reads the lists behind the figures on their home (no reminders:
    # those go from the officers to the enterprises).
    scope = scope_of(request, enterprise_ok=True)
    year, month = period_of(request, timezone.localdate())
    if request.method == "POST":
        if scope.enterprise_id:
            raise PermissionDenied
        accounts, sent = coverage_remind(
            user=request.user, metric=metric, scope=scope, year=year, month=month
        )
        if sent:
            messages.success(request, _("Reminder sent to %(count)d accounts.") % {"count": sent})
        elif accounts:
            messages.info(request, _("They were already reminded this month."))
        else:
            messages.warning(request, _("Nobody here has an account to remind."))
        url = reverse("coverage:uncovered", args=[code]) + "?" + scope_params(scope, year, month)
        return redirect(url)
    if request.GET.get("format") == "xlsx":
        return export_job_response(request, uncovered_export, code=code)
    queryset = uncovered_for(request.user, metric, scope=scope, year=year, month=month)
    page, as_of = None, None
    if queryset is not None:
        paginator = Paginator(queryset, 50)
        count, as_of = uncovered_count(metric, scope=scope, year=year, month=month)
        if count is not None:
            # The figure's own count (a cached_property set ahead): no COUNT(*) of the list.
            paginator.count = count
        page = paginator.get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "reports/uncovered.html",
        {
            "metric": metric,
            "page": page,
            "header": uncovered_header(metric),
            # The page's rows read once (a Page's truth is its length: evaluating it
            # and then iterating the queryset again would run the list's query twice).
            "rows": (
                list(uncovered_rows(request.user, metric, list(page.object_list)))
                if page is not None
                else []
            ),
            "scope_title": scope_title(scope),
            "year": year,
            "month": month,
            "query": scope_params(scope, year, month),
            "has_dashboard": not scope.enterprise_id,
            "as_of": as_of,
        },
    )


def lagging(request):
    """The enterprises lagging on the plan's figures in the user's scope, with what each lacks
    (the officers' home counts them)."""
    scope = scope_of(request)
    today = timezone.localdate()
    year, month = period_of(request, today)
    page, as_of = lagging_page(
        request.user,
        scope=scope,
        year=year,
        month=month,
        today=today,
        number=request.GET.get("page"),
    )
    return TemplateResponse(
        request,
        "reports/lagging.html",
        {
            "page": page,
            "as_of": as_of,
            "scope_title": scope_title(scope),
            "year": year,
            "month": month,
            "query": scope_params(scope, year, month),
            "rate": Kind.RATE,
        },
    )


@worker_export
def uncovered_export(asked, *, code: str) -> Export:
    """The list behind a figure as XLSX, written by the worker (following the scope, the
    period and the masking)."""
    metric = metric_get(code)
    if metric is None or metric.kind == Kind.COUNT:
        raise Http404
    scope = scope_of(asked, enterprise_ok=True)
    year, month = period_of(asked, timezone.localdate())
    queryset = uncovered_for(asked.user, metric, scope=scope, year=year, month=month)
    if queryset is None:
        raise Http404

    def build(records, masking):
        rows = uncovered_rows(asked.user, metric, records, masking)
        return Sheet(str(metric.label), uncovered_header(metric), rows)

    return Export(
        kind=_("Not covered: %(metric)s") % {"metric": metric.label},
        records=queryset,
        build=build,
        filename=f"uncovered-{metric.code}-{year}-{month:02d}.xlsx",
    )


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("lagging/", lagging, name="lagging"),
    path("<str:code>/uncovered/", uncovered, name="uncovered"),
]

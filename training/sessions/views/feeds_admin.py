"""What sessions feed, in the back office: principal coverage (with one-click invitations),
criteria study by member units, inspectors' training; each exportable as XLSX."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from directory.export_jobs import Export, export_job_response, worker_export
from directory.exports import Sheet, export_response
from directory.selectors import people_editable_by
from training.sessions.models.sessions import SessionKind
from training.sessions.selectors.feeds import (
    criteria_study,
    inspectors_in_post,
    inspectors_training,
    member_units,
    next_session,
    principal_coverage,
    principal_coverage_enterprises,
    principal_rows,
)
from training.sessions.services.roster import session_invite


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


def _check(request) -> None:
    if not request.user.has_perm("training.view_trainingsession"):
        raise PermissionDenied


def _date(value) -> str:
    return f"{timezone.localtime(value):%Y年%-m月%-d日}" if value else ""


def _xlsx(request, *, kind, name: str, headers: list, records: QuerySet, rows: list):
    """A one-sheet workbook through the export path; `rows` are (object, cells) pairs and only
    the objects among the viewer's scoped `records` are written."""

    def build(visible, masking):
        ids = set(visible.values_list("pk", flat=True))
        return Sheet(name[:31], headers, [cells for obj, cells in rows if obj.pk in ids])

    return export_response(
        request, kind=kind, records=records, build=build, filename=f"{name}.xlsx", fmt="xlsx"
    )


def principal_coverage_view(request):
    _check(request)
    year = _year(request)
    if request.GET.get("format") == "xlsx":
        return export_job_response(request, principal_coverage_xlsx)
    enterprises = principal_coverage_enterprises(user=request.user, year=year)
    page = Paginator(enterprises, 50).get_page(request.GET.get("page"))
    upcoming = next_session(user=request.user, kind=SessionKind.PRINCIPAL, after=timezone.now())
    return TemplateResponse(
        request,
        "training/sessions/admin/principal_coverage.html",
        {
            # A district's key enterprises run to thousands: a page at a time, missing first.
            "page": page,
            "rows": list(principal_rows(page)),
            "year": year,
            "missing": enterprises.filter(covered=False).count(),
            "upcoming": upcoming,
        },
    )


@worker_export
def principal_coverage_xlsx(asked) -> Export:
    """The principals' coverage of a year as XLSX, written by the worker: every visible key
    enterprise (a district's run to thousands), missing first, as the page lists them."""
    year = _year(asked)
    headers = [_("Enterprise"), _("Principal"), _("Attended"), _("Passed the assessment")]

    def build(records, masking):
        rows = (
            [
                r.enterprise.name,
                r.principal.name if r.principal else "",
                _date(r.attended_on),
                _date(r.passed_on),
            ]
            for r in principal_rows(records.iterator(chunk_size=2000))
        )
        return Sheet(f"principal-coverage-{year}"[:31], headers, rows)

    return Export(
        kind=_("Principal training coverage"),
        records=principal_coverage_enterprises(user=asked.user, year=year),
        build=build,
        filename=f"principal-coverage-{year}.xlsx",
    )


@require_POST
def principal_invite_view(request):
    """Invite the missing principals the user looks after to the next principals' training."""
    _check(request)
    year = _year(request)
    upcoming = next_session(user=request.user, kind=SessionKind.PRINCIPAL, after=timezone.now())
    if upcoming is None:
        messages.error(request, _("There is no upcoming principals' training you organise."))
        return redirect("session_principal_coverage")
    missing = [
        r.principal.pk
        for r in principal_coverage(user=request.user, year=year)
        if r.principal and not r.covered
    ]
    mine = list(
        people_editable_by(request.user).filter(pk__in=missing).values_list("pk", flat=True)
    )
    try:
        count = session_invite(user=request.user, session=upcoming, person_ids=mine)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request,
            _("%(count)s principals invited to %(title)s.")
            % {"count": count, "title": upcoming.title},
        )
    return redirect(f"{reverse('session_principal_coverage')}?year={year}")


def criteria_study_view(request):
    _check(request)
    year = _year(request)
    try:
        deadline = datetime.date.fromisoformat(request.GET.get("deadline", ""))
    except ValueError:
        deadline = datetime.date(year, 12, 31)
    rows = criteria_study(user=request.user, year=year, deadline=deadline)
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            request,
            kind=_("Criteria study by member units"),
            name=f"criteria-study-{year}",
            headers=[_("Department"), _("Sessions"), _("Attendees")],
            records=member_units(),
            rows=[
                (
                    r.department,
                    [
                        r.department.name,
                        "、".join(f"{_date(s.starts_at)} {s.title}" for s in r.sessions),
                        "、".join(r.attendees),
                    ],
                )
                for r in rows
            ],
        )
    return TemplateResponse(
        request,
        "training/sessions/admin/criteria_study.html",
        {"rows": rows, "year": year, "deadline": deadline},
    )


def inspectors_view(request):
    _check(request)
    year = _year(request)
    rows = inspectors_training(user=request.user, year=year)
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            request,
            kind=_("Inspectors' centralized training"),
            name=f"inspectors-training-{year}",
            headers=[_("Person name"), _("Department"), _("Attended")],
            records=inspectors_in_post(),
            rows=[
                (
                    r.person,
                    [
                        r.person.name,
                        r.person.department.name if r.person.department else "",
                        _date(r.attended_on),
                    ],
                )
                for r in rows
            ],
        )
    return TemplateResponse(
        request, "training/sessions/admin/inspectors.html", {"rows": rows, "year": year}
    )


def leaders_duties_view(request):
    """The town leaders' yearly centre-group study and quarterly safety meetings: done, due or
    overdue per period (the town office only)."""
    from training.sessions.selectors.duties import leaders_duties, sees_leaders_duties

    if not sees_leaders_duties(request.user):
        raise PermissionDenied
    year = _year(request)
    rows = leaders_duties(user=request.user, year=year)
    return TemplateResponse(
        request,
        "training/sessions/admin/leaders_duties.html",
        {"rows": rows, "year": year, "open": sum(r.status != "done" for r in rows)},
    )

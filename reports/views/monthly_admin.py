"""Monthly reports in the back office: each unit's own report (draft, submit, revise), the town
office's review with the list of late units, and the compiled town report for download."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from directory.constants import AccountRole
from directory.files import XLSX_CONTENT_TYPE, stored_file_response
from directory.jobs import job_progress
from directory.selectors import account_role
from reports.models import EDITABLE_STATUSES, MonthlyReport, ReportStatus
from reports.sections import report_sections
from reports.selectors.monthly import (
    due_date,
    late_units,
    month_statuses,
    monthly_reports_visible_to,
    report_due_for,
    reporting_unit_of,
    town_reports_visible_to,
)
from reports.services import compiled, monthly
from reports.views.dashboard import period_of


class MonthlyReportForm(forms.ModelForm):
    class Meta:
        model = MonthlyReport
        fields = list(monthly.NARRATIVE_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in monthly.NARRATIVE_FIELDS}


COMPILED_TYPES = {"pdf": "application/pdf", "xlsx": XLSX_CONTENT_TYPE}


def _is_town(user) -> bool:
    return account_role(user) == AccountRole.TOWN_OFFICE


def index(request):
    unit = reporting_unit_of(request.user)
    town = _is_town(request.user)
    if unit is None and not town:
        raise PermissionDenied
    today = timezone.localdate()
    year, month = period_of(request, today)
    context = {"year": year, "month": month, "today": today, "unit": unit, "town": town}
    if town:
        statuses = month_statuses(year, month)
        context.update(
            statuses=statuses,
            late=late_units(year, month, today),
            # What the town office's home counts before the due date.
            not_sent=[status.unit for status in statuses if not status.sent],
            due=due_date(year, month),
            compiled=town_reports_visible_to(request.user)[:24],
            years=range(today.year, 2023, -1),
            months=range(1, 13),
        )
    else:
        context["reports"] = monthly_reports_visible_to(request.user).select_related(
            "department", "village"
        )
        context["report_due"] = report_due_for(request.user, today)
    return TemplateResponse(request, "reports/monthly_index.html", context)


@require_POST
def start(request):
    today = timezone.localdate()
    report = monthly.monthly_report_start(user=request.user, year=today.year, month=today.month)
    return redirect("monthly_reports:detail", report.pk)


def _act(request, report, section_forms: dict):
    """Run the button's service; returns the form to show again when it or a section's has
    errors (the sections' forms keep what was typed either way)."""
    action = request.POST.get("action")
    user = request.user
    form = None
    saved = False
    try:
        if action in ("save", "submit"):
            form = MonthlyReportForm(request.POST, instance=MonthlyReport(pk=report.pk))
            valid = [f.is_valid() for f in (form, *section_forms.values())]
            if not all(valid):
                return form
            report = monthly.monthly_report_save(
                user=user,
                report=report,
                sections={key: f.payload for key, f in section_forms.items()},
                **form.cleaned_data,
            )
            saved = True
            if action == "submit":
                monthly.monthly_report_submit(user=user, report=report)
                messages.success(request, _("The report was submitted to the town safety office."))
            else:
                messages.success(request, _("Draft saved."))
        elif action == "accept":
            monthly.monthly_report_accept(user=user, report=report)
            messages.success(request, _("The report was accepted."))
        elif action == "return":
            comment = request.POST.get("review_comment", "")
            monthly.monthly_report_return(user=user, report=report, comment=comment)
            messages.success(request, _("The report was returned for revision."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        # Saved but not submitted: the page is read again with what was saved (new evidence
        # files included), the reason above it.
        return None if saved else form
    return None


def detail(request, pk):
    report = get_object_or_404(
        monthly_reports_visible_to(request.user).select_related("department", "village"), pk=pk
    )
    unit = reporting_unit_of(request.user)
    own = unit is not None and getattr(report, f"{unit.kind}_id") == unit.pk
    can_edit = own and report.status in EDITABLE_STATUSES
    posted = request.method == "POST" and can_edit
    section_forms = {
        section.key: section.form(
            user=request.user,
            report=report,
            data=request.POST if posted else None,
            files=request.FILES if posted else None,
        )
        for section in report_sections()
        if can_edit
    }
    if request.method == "POST":
        form = _act(request, report, section_forms)
        if form is None:
            return redirect("monthly_reports:detail", pk)
    else:
        form = MonthlyReportForm(instance=report)
    figures = report.figures
    if not figures and unit is not None and own:
        figures = monthly.figures_snapshot(
            unit=unit, year=report.year, month=report.month, today=timezone.localdate()
        )
    sections = [
        {
            "template_name": section.template_name,
            "context": section.context(
                user=request.user,
                report=report,
                form=section_forms.get(section.key),
                editable=can_edit,
            ),
        }
        for section in report_sections()
    ]
    return TemplateResponse(
        request,
        "reports/monthly_detail.html",
        {
            "report": report,
            "form": form,
            "figures": figures,
            "sections": sections,
            "can_edit": can_edit,
            "can_review": _is_town(request.user) and report.status == ReportStatus.SUBMITTED,
        },
    )


@require_POST
def compile_town_report(request):
    year, month = period_of(request, timezone.localdate())
    compiled.town_report_request(user=request.user, year=year, month=month)
    messages.success(request, _("The town's report is being compiled; its progress shows below."))
    return redirect(reverse("monthly_reports:index") + f"?year={year}&month={month}")


@require_POST
def retry_town_report(request, pk):
    report = get_object_or_404(town_reports_visible_to(request.user), pk=pk)
    try:
        compiled.town_report_retry(user=request.user, report=report)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The job was queued again."))
    return redirect(reverse("monthly_reports:index") + f"?year={report.year}&month={report.month}")


def town_report_progress(request, pk):
    """What the index's compiled-report line polls while the report is compiled."""
    report = get_object_or_404(town_reports_visible_to(request.user), pk=pk)
    return JsonResponse(job_progress(report))


def download(request, pk, kind):
    if kind not in COMPILED_TYPES:
        raise Http404
    report = get_object_or_404(town_reports_visible_to(request.user), pk=pk)
    file = getattr(report, kind)
    if not file:
        raise Http404
    return stored_file_response(
        file,
        content_type=COMPILED_TYPES[kind],
        filename=f"town-monthly-report-{report.year}-{report.month:02d}.{kind}",
        inline=False,
    )


urlpatterns = [
    path("", index, name="index"),
    path("start/", start, name="start"),
    path("<int:pk>/", detail, name="detail"),
    path("compile/", compile_town_report, name="compile"),
    path("town/<int:pk>/retry/", retry_town_report, name="retry"),
    path("town/<int:pk>/progress/", town_report_progress, name="progress"),
    path("town/<int:pk>/<str:kind>/", download, name="download"),
]

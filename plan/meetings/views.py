"""Dispatch meetings in the back office: the town office records a meeting and its decisions
(each optionally a task); a unit sees the decisions assigned to it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from wagtail.admin import messages

from directory.constants import AccountRole
from directory.scoping import account_role
from plan.meetings import services
from plan.meetings.forms import (
    DecisionFormSet,
    MeetingForm,
    formset_decisions,
    formset_problems,
)
from plan.meetings.selectors import decisions_visible_to, meetings_visible_to
from plan.models import Task
from plan.tasklist.selectors import tasks_with_status
from reports.selectors.monthly import reporting_unit_of


def _is_town(user) -> bool:
    return account_role(user) == AccountRole.TOWN_OFFICE


def _decisions(user, queryset=None):
    decisions = (
        decisions_visible_to(user, queryset)
        .select_related("meeting", "task", "task__plan_item")
        .order_by("-meeting__held_on", "meeting_id", "number")
    )
    statuses = dict(
        tasks_with_status(Task.objects.filter(meeting_decision__in=decisions)).values_list(
            "pk", "current_status"
        )
    )
    rows = list(decisions.prefetch_related("task__units__department", "task__units__village"))
    for decision in rows:
        decision.task_status = statuses.get(decision.task_id)
    return rows


def index(request):
    town = _is_town(request.user)
    if not town and reporting_unit_of(request.user) is None:
        raise PermissionDenied
    if town:
        meetings = meetings_visible_to(request.user).annotate(
            decision_count=Count("decisions"), task_count=Count("decisions__task")
        )
        return TemplateResponse(request, "plan/meetings/index.html", {"meetings": meetings})
    return TemplateResponse(
        request,
        "plan/meetings/unit_index.html",
        {"decisions": _decisions(request.user)},
    )


def _record_errors(request, error: ValidationError, form=None) -> None:
    if form is not None and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        return
    for message in error.messages:
        messages.error(request, message)


def create(request):
    if not _is_town(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    formset = DecisionFormSet(request.POST or None, prefix="decisions")
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.dispatch_meeting_record(
                    user=request.user,
                    held_on=data["held_on"],
                    place=data["place"],
                    chair=data["chair"],
                    departments=data["attending_departments"],
                    villages=data["attending_villages"],
                    attendee_names=data["attendee_names"],
                    summary=data["summary"],
                    decisions=formset_decisions(formset),
                )
            except ValidationError as error:
                _record_errors(request, error, form)
            else:
                messages.success(request, _("The meeting was recorded."))
                return redirect("meetings:detail", meeting.pk)
        for problem in formset_problems(formset):
            messages.error(request, problem)
    return TemplateResponse(
        request, "plan/meetings/create.html", {"form": form, "formset": formset}
    )


def detail(request, pk):
    meeting = get_object_or_404(meetings_visible_to(request.user), pk=pk)
    town = _is_town(request.user)
    formset = DecisionFormSet(
        request.POST if request.method == "POST" and town else None, prefix="decisions"
    )
    if request.method == "POST":
        if not town:
            raise PermissionDenied
        if formset.is_valid():
            try:
                made = services.meeting_decisions_add(
                    user=request.user, meeting=meeting, decisions=formset_decisions(formset)
                )
            except ValidationError as error:
                _record_errors(request, error)
            else:
                messages.success(
                    request,
                    _("The decisions were recorded; %(count)s became tasks.") % {"count": made},
                )
                return redirect("meetings:detail", pk)
        for problem in formset_problems(formset):
            messages.error(request, problem)
    return TemplateResponse(
        request,
        "plan/meetings/detail.html",
        {
            "meeting": meeting,
            "decisions": _decisions(request.user, meeting.decisions.all()),
            "departments": meeting.attending_departments.all(),
            "villages": meeting.attending_villages.all(),
            "formset": formset if town else None,
        },
    )


urlpatterns = [
    path("", index, name="index"),
    path("new/", create, name="create"),
    path("<int:pk>/", detail, name="detail"),
]

"""Sub-plans in the back office: the town office's list per round (filter, export, review) and
each unit's own screen (upload, history, comments)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from directory.constants import AccountRole
from directory.files import private_page, stored_file_response
from directory.scoping import account_role
from plan.subplans import services
from plan.subplans.exports import subplans_export
from plan.subplans.forms import RoundForm, UploadForm
from plan.subplans.models import (
    PLAN_ROUND_DEADLINE,
    PLAN_ROUND_TITLE,
    SubPlanStatus,
)
from plan.subplans.selectors import (
    round_standings,
    rounds_visible_to,
    subplan_of,
    subplans_visible_to,
    versions_visible_to,
)
from reports.selectors.monthly import reporting_unit_of


def _is_town(user) -> bool:
    return account_role(user) == AccountRole.TOWN_OFFICE


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _chosen_round(request, rounds):
    chosen = request.GET.get("round")
    if chosen and chosen.isdigit():
        return get_object_or_404(rounds, pk=int(chosen))
    return rounds.filter(closed=False).first() or rounds.first()


def _status_filter(request) -> str:
    status = request.GET.get("status", "")
    return status if status in SubPlanStatus.values else ""


def index(request):
    town = _is_town(request.user)
    unit = reporting_unit_of(request.user)
    if not town and unit is None:
        raise PermissionDenied
    rounds = rounds_visible_to(request.user)
    if not town:
        return _unit_index(request, rounds)
    current = _chosen_round(request, rounds)
    status = _status_filter(request)
    first = not rounds.exists()
    return TemplateResponse(
        request,
        "plan/subplans/index.html",
        {
            "rounds": rounds,
            "current": current,
            "status": status,
            "statuses": SubPlanStatus.choices,
            "standings": round_standings(current, viewer=request.user, status=status or None)
            if current
            else [],
            "round_form": RoundForm(
                initial={"title": PLAN_ROUND_TITLE, "deadline": PLAN_ROUND_DEADLINE}
                if first
                else {}
            ),
        },
    )


def _unit_index(request, rounds):
    entries = []
    for subplan_round in rounds:
        subplan = subplan_of(request.user, subplan_round)
        entries.append(
            {
                "round": subplan_round,
                "standing": round_standings(subplan_round, viewer=request.user)[0],
                "versions": subplan.versions.all() if subplan else [],
                "can_upload": not subplan_round.closed
                and (subplan is None or subplan.status != SubPlanStatus.ACCEPTED),
            }
        )
    return TemplateResponse(
        request,
        "plan/subplans/unit_index.html",
        {"entries": entries, "upload_form": UploadForm()},
    )


@require_POST
def upload(request, round_pk):
    subplan_round = get_object_or_404(rounds_visible_to(request.user), pk=round_pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("subplans:index")
    try:
        version = services.subplan_upload(
            user=request.user, subplan_round=subplan_round, upload=form.cleaned_data["file"]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("Version %(number)s of the sub-plan was uploaded for review.")
            % {"number": version.number},
        )
    return redirect("subplans:index")


@private_page
def detail(request, pk):
    subplan = get_object_or_404(
        subplans_visible_to(request.user).select_related("round", "department", "village"), pk=pk
    )
    return TemplateResponse(
        request,
        "plan/subplans/detail.html",
        {
            "subplan": subplan,
            "versions": subplan.versions.select_related("uploaded_by", "reviewed_by"),
            "can_review": _is_town(request.user) and subplan.status == SubPlanStatus.PENDING,
        },
    )


@require_POST
def review(request, pk):
    subplan = get_object_or_404(subplans_visible_to(request.user), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "accept":
            services.subplan_accept(user=request.user, subplan=subplan)
            messages.success(request, _("The sub-plan was accepted."))
        elif action == "return":
            services.subplan_return(
                user=request.user, subplan=subplan, comment=request.POST.get("review_comment", "")
            )
            messages.success(request, _("The sub-plan was returned for revision."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("subplans:detail", pk)


def version_file(request, pk):
    version = get_object_or_404(versions_visible_to(request.user), pk=pk)
    return stored_file_response(
        version.file, content_type=version.content_type, filename=version.name
    )


def export(request):
    rounds = rounds_visible_to(request.user)
    subplan_round = _chosen_round(request, rounds)
    if subplan_round is None:
        raise PermissionDenied
    return subplans_export(
        request, subplan_round=subplan_round, status=_status_filter(request) or None
    )


@require_POST
def round_open(request):
    form = RoundForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("subplans:index")
    try:
        created = services.subplan_round_open(user=request.user, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
        return redirect("subplans:index")
    messages.success(request, _("The round was opened."))
    return redirect(reverse("subplans:index") + f"?round={created.pk}")


@require_POST
def round_close(request, pk):
    subplan_round = get_object_or_404(rounds_visible_to(request.user), pk=pk)
    services.subplan_round_close(user=request.user, subplan_round=subplan_round)
    messages.success(request, _("The round was closed."))
    return redirect(reverse("subplans:index") + f"?round={subplan_round.pk}")


urlpatterns = [
    path("", index, name="index"),
    path("export/", export, name="export"),
    path("rounds/", round_open, name="round_open"),
    path("rounds/<int:pk>/close/", round_close, name="round_close"),
    path("rounds/<int:round_pk>/upload/", upload, name="upload"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/review/", review, name="review"),
    path("versions/<int:pk>/file/", version_file, name="file"),
]

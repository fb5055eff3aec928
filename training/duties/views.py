"""The front office's pages of the principals' duties: the enterprise's safety manager fills the
五带头 checklist and records the self-inspections; officers follow and review them."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from directory.constants import AccountRole
from directory.exports import export_response
from directory.files import private_page
from directory.models import Enterprise
from directory.selectors import account_role, people_visible_to
from training.common.actions import ActionStatus
from training.common.files import evidence_response
from training.duties.forms import (
    AcceptForm,
    CloseForm,
    EntryForm,
    HazardFormSet,
    InspectionForm,
    ReviewForm,
)
from training.duties.pdf import duties_bulletin_pdf
from training.duties.rules import quarter_of
from training.duties.selectors import (
    checklist_entries_visible_to,
    checklist_with_entries,
    checklists_awaiting_review,
    checklists_visible_to,
    duty_items,
    duty_items_unconfirmed,
    enterprise_quarters,
    enterprises_quarter_rows,
    hazards_visible_to,
    principal_checklist_rows,
)
from training.duties.services import (
    FILLABLE,
    checklist_entry_save,
    checklist_open,
    checklist_review,
    checklist_submit,
    hazard_accept,
    hazard_close,
    self_inspection_record,
)


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _is_manager(user) -> bool:
    return account_role(user) == AccountRole.ENTERPRISE_MANAGER and bool(user.enterprise_id)


def _form_errors(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


@private_page
@login_required
def duties_home(request):
    """The year's checklists and the quarters' self-inspections of what the user sees."""
    role = account_role(request.user)
    if role not in (
        AccountRole.TOWN_OFFICE,
        AccountRole.DEPARTMENT_OFFICER,
        AccountRole.VILLAGE_OFFICER,
        AccountRole.ENTERPRISE_MANAGER,
    ):
        raise PermissionDenied
    today = timezone.localdate()
    year = _year(request)
    items = list(duty_items())
    context = {
        "year": year,
        "items": items,
        "unconfirmed": duty_items_unconfirmed(items),
        "rows": principal_checklist_rows(request.user, year=year, today=today),
        "is_manager": _is_manager(request.user),
        "awaiting": checklists_awaiting_review(request.user).select_related(
            "enterprise", "principal"
        ),
    }
    if context["is_manager"]:
        context["quarters"] = enterprise_quarters(request.user.enterprise, year=year, today=today)
    else:
        quarter = quarter_of(today) if year == today.year else 4
        context["quarter"] = quarter
        context["quarter_rows"] = enterprises_quarter_rows(
            request.user, year=year, quarter=quarter, today=today
        )
        context["hazards_done"] = (
            hazards_visible_to(request.user)
            .filter(status=ActionStatus.DONE)
            .select_related("inspection__enterprise")[:100]
        )
    return render(request, "training/duties/home.html", context)


@login_required
@require_POST
def checklist_start(request, person_pk: int):
    principal = get_object_or_404(people_visible_to(request.user), pk=person_pk)
    try:
        checklist = checklist_open(user=request.user, principal=principal, year=_year(request))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("duties:home")
    return redirect("duties:checklist", pk=checklist.pk)


@private_page
@login_required
def checklist_detail(request, pk: int):
    """A checklist: the manager fills each item and submits; the lead department reviews."""
    checklist = get_object_or_404(
        checklists_visible_to(request.user).select_related("enterprise", "principal"), pk=pk
    )
    items = list(duty_items())
    can_fill = _is_manager(request.user) and checklist.status in FILLABLE
    forms_by_item = {}
    review_form = ReviewForm(request.POST or None, prefix="review")
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action.startswith("item-") and can_fill:
                item = get_object_or_404(duty_items(), pk=action.removeprefix("item-"))
                form = EntryForm(request.POST, request.FILES, prefix=f"item{item.pk}")
                forms_by_item[item.pk] = form
                if form.is_valid():
                    checklist_entry_save(
                        user=request.user,
                        checklist=checklist,
                        item=item,
                        note=form.cleaned_data["note"],
                        evidence=form.cleaned_data["evidence"],
                    )
                    messages.success(request, _("Saved."))
                    return redirect("duties:checklist", pk=pk)
            elif action == "submit":
                checklist_submit(user=request.user, checklist=checklist)
                messages.success(request, _("The checklist is sent to the lead department."))
                return redirect("duties:checklist", pk=pk)
            elif action == "review" and review_form.is_valid():
                checklist_review(
                    user=request.user,
                    checklist=checklist,
                    accept=review_form.cleaned_data["accept"],
                    note=review_form.cleaned_data["note"],
                )
                messages.success(request, _("The review is recorded."))
                return redirect("duties:checklist", pk=pk)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        except PermissionDenied:
            raise
    entries = checklist_with_entries(checklist)
    rows = []
    for item in items:
        entry = entries.get(item.pk)
        form = forms_by_item.get(item.pk) or EntryForm(
            prefix=f"item{item.pk}", initial={"note": entry.note if entry else ""}
        )
        rows.append({"item": item, "entry": entry, "form": form})
    context = {
        "checklist": checklist,
        "rows": rows,
        "unconfirmed": duty_items_unconfirmed(items),
        "can_fill": can_fill,
        "can_review": checklist.status == "submitted"
        and (
            account_role(request.user) == AccountRole.TOWN_OFFICE
            or (
                account_role(request.user) == AccountRole.DEPARTMENT_OFFICER
                and request.user.department_id == checklist.enterprise.lead_department_id
            )
        ),
        "review_form": review_form,
    }
    return render(request, "training/duties/checklist.html", context)


@never_cache
@login_required
def checklist_evidence(request, pk: int):
    entry = get_object_or_404(
        checklist_entries_visible_to(request.user).exclude(evidence=""), pk=pk
    )
    return evidence_response(entry.evidence, entry.evidence_type or None)


@private_page
@login_required
def inspection_new(request):
    if not _is_manager(request.user):
        raise PermissionDenied
    enterprise = request.user.enterprise
    principals = (
        people_visible_to(request.user)
        .filter(employer=enterprise, is_principal=True)
        .order_by("name", "pk")
    )
    form = InspectionForm(request.POST or None, principals=principals)
    formset = HazardFormSet(request.POST or None, prefix="hazards")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            self_inspection_record(
                user=request.user,
                enterprise=enterprise,
                principal=form.cleaned_data["principal"],
                date=form.cleaned_data["date"],
                scope=form.cleaned_data["scope"],
                hazards=[row for row in (f.row() for f in formset.forms) if row],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The self-inspection is recorded."))
            return redirect("duties:home")
    return render(
        request, "training/duties/inspection_new.html", {"form": form, "formset": formset}
    )


@login_required
@require_POST
def hazard_close_view(request, pk: int):
    hazard = get_object_or_404(hazards_visible_to(request.user), pk=pk)
    form = CloseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            hazard_close(
                user=request.user,
                hazard=hazard,
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
            )
            messages.success(request, _("Saved."))
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
    else:
        messages.error(request, _("Say what was done."))
    return redirect(_back(request, hazard.inspection.date))


@login_required
@require_POST
def hazard_accept_view(request, pk: int):
    hazard = get_object_or_404(hazards_visible_to(request.user), pk=pk)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            hazard_accept(
                user=request.user,
                hazard=hazard,
                accept=form.cleaned_data["accept"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The review is recorded."))
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
    return redirect(_back(request, hazard.inspection.date))


def _back(request, date: datetime.date) -> str:
    from django.urls import reverse

    return f"{reverse('duties:home')}?year={date.year}"


@never_cache
@login_required
def hazard_evidence(request, pk: int):
    hazard = get_object_or_404(hazards_visible_to(request.user).exclude(closing_evidence=""), pk=pk)
    return evidence_response(hazard.closing_evidence)


@login_required
def duties_bulletin(request):
    """The year's 通报 PDF of the enterprises the user sees, through the one export path."""
    if account_role(request.user) not in (
        AccountRole.TOWN_OFFICE,
        AccountRole.DEPARTMENT_OFFICER,
        AccountRole.VILLAGE_OFFICER,
    ):
        raise PermissionDenied
    year = _year(request)

    def build(enterprises, masking):
        return duties_bulletin_pdf(enterprises, year)

    return export_response(
        request,
        kind=_("Bulletin on principals' duties (PDF)"),
        records=Enterprise.objects.all(),
        build=build,
        filename=f"principal-duties-{year}.pdf",
        fmt="pdf",
    )

"""The front office's drill pages for enterprise managers, made for a phone on the spot."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.models.relations import works_for_q
from directory.selectors import account_role, people_visible_to
from training.drills.forms import DrillEntryForm, GroupRowFormSet
from training.drills.selectors.records import drill_records_visible_to
from training.drills.services.entry import drill_record_enter


def _require_manager(request):
    if account_role(request.user) != AccountRole.ENTERPRISE_MANAGER or not request.user.enterprise:
        raise PermissionDenied


@login_required
def drill_list(request):
    _require_manager(request)
    records = (
        drill_records_visible_to(request.user)
        .annotate(listed=Count("participants"))
        .prefetch_related("observations")[:50]
    )
    return render(request, "training/drills/list.html", {"records": records})


def _add_service_errors(form, formset, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            if field == "groups":
                formset._non_form_errors.append(message)
            else:
                # Evidence ("file") has no form field: its message names the file itself.
                form.add_error(field if field in form.fields else None, message)


@login_required
def drill_record_new(request):
    _require_manager(request)
    people = (
        people_visible_to(request.user)
        .filter(works_for_q(request.user.enterprise_id))
        .order_by("name", "pk")
    )
    form = DrillEntryForm(request.POST or None, people=people)
    formset = GroupRowFormSet(request.POST or None, prefix="groups")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            drill_record_enter(
                user=request.user,
                enterprise=request.user.enterprise,
                record_fields=form.record_fields(),
                groups=[row for row in (f.row() for f in formset.forms) if row],
                uploads=request.FILES.getlist("evidence"),
                signer_name=form.cleaned_data["signer_name"],
                signature=form.cleaned_data["signature"],
                participants=list(form.cleaned_data["participants"]),
            )
        except ValidationError as error:
            _add_service_errors(form, formset, error)
        else:
            messages.success(request, _("The drill is recorded and sent for review."))
            return redirect("training:drill_list")
    return render(request, "training/drills/entry.html", {"form": form, "formset": formset})

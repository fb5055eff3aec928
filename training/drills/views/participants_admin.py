"""A drill record's list of participants in the back office: add the enterprise's people (found by
name or ID number), take them off, or upload the filled sign-in sheet through the import path."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from directory.exports import Masking
from directory.identifiers import normalize_code, normalize_text
from directory.importing.jobs import import_job_create
from directory.models import Person
from directory.permissions import role_may
from directory.selectors import people_visible_to
from training.drills.models.participants import DrillParticipant
from training.drills.models.records import DrillRecord
from training.drills.selectors.participants import drill_participants
from training.drills.selectors.records import drill_records_editable_by, drill_records_visible_to
from training.drills.services.participants import (
    drill_participants_add,
    drill_participants_remove,
    record_people,
)

# Options offered at once; a larger enterprise narrows them with the search box.
CHOICES_SHOWN = 300


class AddForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        label=gettext_lazy("People of the enterprise"),
        help_text=gettext_lazy("Hold Ctrl (or ⌘) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": "12"}),
    )
    remark = forms.CharField(label=gettext_lazy("Role or remark"), max_length=200, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = candidates
        self.fields["people"].label_from_instance = lambda person: (
            f"{person.name}（{person.id_number[-4:]}）"
        )


class SheetForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled sign-in sheet"),
        help_text=gettext_lazy(
            "XLSX or CSV with the columns 姓名, 身份证号 and, if you like, 签到时间, 备注; it is "
            "checked row by row and written only once you confirm it."
        ),
    )


def _candidates(user, record: DrillRecord, query: str):
    people = (
        people_visible_to(user)
        .filter(pk__in=record_people(record).values("pk"))
        .exclude(drill_participations__record=record)
        .order_by("name", "pk")
    )
    if query:
        people = people.filter(Q(name__contains=query) | Q(id_number__startswith=query.upper()))
    return people


def drill_participants_view(request, pk: int):
    queryset = drill_records_visible_to(request.user).select_related("enterprise")
    record = get_object_or_404(queryset, pk=pk)
    may_change = role_may(request.user, DrillParticipant, "change") and (
        drill_records_editable_by(request.user).filter(pk=record.pk).exists()
    )
    query = normalize_text(request.GET.get("q", ""))
    candidates = _candidates(request.user, record, normalize_code(query) or query)
    add_form = AddForm(candidates=candidates, prefix="add")
    sheet_form = SheetForm(prefix="sheet")
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if "remove" in request.POST:
            ids = [int(v) for v in request.POST.getlist("participant") if v.isdigit()]
            removed = drill_participants_remove(
                user=request.user, record=record, participant_ids=ids
            )
            messages.success(request, _("%(count)s taken off the list.") % {"count": removed})
            return redirect("drill_participants", pk=record.pk)
        if "sheet-file" in request.FILES:
            sheet_form = SheetForm(request.POST, request.FILES, prefix="sheet")
            if sheet_form.is_valid():
                try:
                    job = import_job_create(
                        user=request.user,
                        kind="drill_participants",
                        upload=sheet_form.cleaned_data["file"],
                        options={"drill": record.pk},
                    )
                except ValidationError as error:
                    sheet_form.add_error("file", error)
                else:
                    return redirect("directory_imports:job", job.pk)
        else:
            add_form = AddForm(request.POST, candidates=candidates, prefix="add")
            if add_form.is_valid():
                try:
                    added = drill_participants_add(
                        user=request.user,
                        record=record,
                        people=add_form.cleaned_data["people"],
                        remark=add_form.cleaned_data["remark"],
                    )
                except ValidationError as error:
                    for message in error.message_dict.get("participants", []):
                        add_form.add_error("people", message)
                else:
                    messages.success(
                        request, _("%(count)s added to the list.") % {"count": len(added)}
                    )
                    return redirect("drill_participants", pk=record.pk)
    masking = Masking(request.user)
    participants = [(p, masking.id_number(p.person)) for p in drill_participants(record)]
    shown = list(candidates[: CHOICES_SHOWN + 1])
    add_form.fields["people"].choices = [
        (person.pk, add_form.fields["people"].label_from_instance(person))
        for person in shown[:CHOICES_SHOWN]
    ]
    return TemplateResponse(
        request,
        "training/drills/admin/participants.html",
        {
            "record": record,
            "participants": participants,
            "may_change": may_change,
            "add_form": add_form,
            "sheet_form": sheet_form,
            "query": query,
            "more_people": len(shown) > CHOICES_SHOWN,
            "choices_shown": CHOICES_SHOWN,
        },
    )

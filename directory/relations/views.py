"""The enterprise manager's front office for related units and attached workers: the lists,
adding either, and ending them (every write through directory.relations.services)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from directory.constants import AccountRole, EnterpriseStatus
from directory.identifiers import id_number_mask, normalize_code
from directory.models import Enterprise, Person, RelationKind
from directory.relations import services
from directory.relations.selectors import (
    attachments_editable_by,
    enterprise_attachments,
    enterprise_relations,
    relations_editable_by,
)
from directory.scoping import account_role


class DateInput(forms.DateInput):
    input_type = "date"


class RelationAddForm(forms.Form):
    credit_code = forms.CharField(
        label=gettext_lazy("Related unit's unified social credit code"), max_length=30
    )
    kind = forms.ChoiceField(label=gettext_lazy("relation"), choices=RelationKind.choices)
    starts_on = forms.DateField(label=gettext_lazy("start date"), widget=DateInput)
    ends_on = forms.DateField(label=gettext_lazy("end date"), widget=DateInput, required=False)
    workplaces = forms.CharField(
        label=gettext_lazy("places of work"), max_length=300, required=False
    )

    def clean_credit_code(self):
        code = normalize_code(self.cleaned_data["credit_code"])
        unit = Enterprise.objects.filter(credit_code=code, status=EnterpriseStatus.ACTIVE).first()
        if unit is None:
            raise forms.ValidationError(_("No active enterprise with this credit code."))
        self.cleaned_data["unit"] = unit
        return code


class AttachmentAddForm(forms.Form):
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=30)
    starts_on = forms.DateField(label=gettext_lazy("start date"), widget=DateInput)
    ends_on = forms.DateField(label=gettext_lazy("end date"), widget=DateInput, required=False)

    def clean_id_number(self):
        number = normalize_code(self.cleaned_data["id_number"])
        person = Person.objects.filter(id_number=number).select_related("employer").first()
        if person is None:
            raise forms.ValidationError(_("No person with this ID number is registered."))
        self.cleaned_data["person"] = person
        return number


def _manager_enterprise(request) -> Enterprise:
    if account_role(request.user) != AccountRole.ENTERPRISE_MANAGER:
        raise PermissionDenied
    return request.user.enterprise


def _service_errors(form, error) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
        return
    for field, texts in error.message_dict.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


@login_required
def related_units(request):
    """The enterprise's related units (both ways) and attached workers, with the add forms."""
    enterprise = _manager_enterprise(request)
    relation_form = RelationAddForm(prefix="relation")
    attachment_form = AttachmentAddForm(prefix="attachment")
    if request.method == "POST" and "relation-kind" in request.POST:
        relation_form = RelationAddForm(request.POST, prefix="relation")
        if relation_form.is_valid():
            data = relation_form.cleaned_data
            try:
                services.relation_record(
                    user=request.user,
                    host=enterprise,
                    unit=data["unit"],
                    kind=data["kind"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    workplaces=data["workplaces"],
                )
            except (ValidationError, PermissionDenied) as error:
                _service_errors(relation_form, error)
            else:
                messages.success(request, _("The related unit is recorded."))
                return redirect("directory:related_units")
    elif request.method == "POST":
        attachment_form = AttachmentAddForm(request.POST, prefix="attachment")
        if attachment_form.is_valid():
            data = attachment_form.cleaned_data
            try:
                services.attachment_record(
                    user=request.user,
                    person=data["person"],
                    host=enterprise,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
            except (ValidationError, PermissionDenied) as error:
                _service_errors(attachment_form, error)
            else:
                messages.success(request, _("The worker is attached to the enterprise."))
                return redirect("directory:related_units")
    attachments = [
        (row, id_number_mask(row.person.id_number)) for row in enterprise_attachments(enterprise)
    ]
    return render(
        request,
        "directory/related_units.html",
        {
            "enterprise": enterprise,
            "relations": enterprise_relations(enterprise),
            "attachments": attachments,
            "relation_form": relation_form,
            "attachment_form": attachment_form,
            "today": timezone.localdate(),
        },
    )


def _end_date(request):
    try:
        return forms.DateField().clean(request.POST.get("ends_on") or timezone.localdate())
    except ValidationError:
        return timezone.localdate()


@login_required
@require_POST
def relation_end(request, pk: int):
    _manager_enterprise(request)
    relation = get_object_or_404(relations_editable_by(request.user), pk=pk)
    try:
        services.relation_end(user=request.user, relation=relation, ends_on=_end_date(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The relation has ended."))
    return redirect("directory:related_units")


@login_required
@require_POST
def attachment_end(request, pk: int):
    _manager_enterprise(request)
    attachment = get_object_or_404(attachments_editable_by(request.user), pk=pk)
    try:
        services.attachment_end(
            user=request.user, attachment=attachment, ends_on=_end_date(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The attachment has ended."))
    return redirect("directory:related_units")

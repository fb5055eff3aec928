"""Forms of related units and attachments (back office and front office alike): the other
enterprise by its credit code and the person by their ID number, so a manager names them without
browsing the registry; the model's `clean` gives the reasons."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.constants import EnterpriseStatus
from directory.forms import RegistryForm
from directory.identifiers import normalize_code
from directory.models import Attachment, Enterprise, EnterpriseRelation, Person
from directory.relations.services import relation_for
from directory.scoping import editable_by


class CodeChoiceField(forms.ModelChoiceField):
    """A record chosen by typing its code (credit code, ID number), spaces and full-width
    characters forgiven."""

    widget = forms.TextInput

    def to_python(self, value):
        return super().to_python(normalize_code(value))


def _hosts(user):
    return editable_by(user, Enterprise).filter(status=EnterpriseStatus.ACTIVE).order_by("name")


class RelationForm(RegistryForm):
    unit = CodeChoiceField(
        queryset=Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE),
        to_field_name="credit_code",
        label=_("Related unit's unified social credit code"),
        error_messages={"invalid_choice": _("No active enterprise with this credit code.")},
    )

    class Meta:
        model = EnterpriseRelation
        fields = ["host", "unit", "kind", "starts_on", "ends_on", "workplaces"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = _hosts(self.for_user)


class EndForm(RegistryForm):
    """Ending a relation or attachment: its end date only (the rest is history)."""

    class Meta:
        fields = ["ends_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].required = True


class RelationEndForm(EndForm):
    class Meta(EndForm.Meta):
        model = EnterpriseRelation


class AttachmentEndForm(EndForm):
    class Meta(EndForm.Meta):
        model = Attachment


class AttachmentForm(RegistryForm):
    person = CodeChoiceField(
        queryset=Person.objects.all(),
        to_field_name="id_number",
        label=_("ID number"),
        error_messages={"invalid_choice": _("No person with this ID number is registered.")},
    )

    class Meta:
        model = Attachment
        fields = ["person", "host", "starts_on", "ends_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = _hosts(self.for_user)

    def clean(self):
        data = super().clean()
        person, host, starts_on = data.get("person"), data.get("host"), data.get("starts_on")
        if person and host and starts_on:
            # The model's clean checks the basis: the relation in force at the start, if any.
            self.instance.relation = relation_for(host=host, person=person, on=starts_on)
        return data

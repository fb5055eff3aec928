"""Forms of the principals' duties: fields typed and labelled here, rules in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class EntryForm(forms.Form):
    """One 五带头 item of a checklist: what the principal did and a file proving it."""

    note = forms.CharField(label=_("What was done"), widget=TEXT)
    evidence = forms.FileField(label=_("Evidence (PDF or photo)"), required=False)


class ReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept")), ("0", _("Return for completion"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)


class InspectionForm(forms.Form):
    principal = forms.ModelChoiceField(label=_("Led by (principal)"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=DATE)
    scope = forms.CharField(label=_("Scope of the inspection"), widget=TEXT)

    def __init__(self, *args, principals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principal"].queryset = principals


class HazardForm(forms.Form):
    problem = forms.CharField(label=_("Hazard found"), required=False)
    measure = forms.CharField(label=_("Corrective measure"), required=False)
    owner = forms.CharField(label=_("Owner"), max_length=100, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DATE, required=False)

    def row(self) -> dict | None:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if not any(data.get(name) for name in ("problem", "measure", "owner", "due_date")):
            return None
        return data


HazardFormSet = forms.formset_factory(HazardForm, extra=3)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=TEXT)
    evidence = forms.FileField(label=_("Photo or video"), required=False)


class AcceptForm(forms.Form):
    accept = ReviewForm.base_fields["accept"]
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)

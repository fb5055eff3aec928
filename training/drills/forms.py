"""Forms of the phone entry of a drill: fields typed and labelled here, rules in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from training.drills.models.records import DrillScenario, PlanType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": "1"}, format="%H:%M:%S")
NUMBER = forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"})
TEXT = forms.Textarea(attrs={"rows": 3})


class DrillEntryForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    scenario = forms.ChoiceField(label=_("Scenario"), choices=DrillScenario.choices)
    plan_type = forms.ChoiceField(label=_("Plan type"), choices=PlanType.choices)
    alarm_time = forms.TimeField(label=_("Alarm time"), widget=TIME)
    all_clear_time = forms.TimeField(label=_("All-clear time"), widget=TIME)
    headcount = forms.IntegerField(label=_("Headcount on site"), min_value=1, widget=NUMBER)
    evacuated = forms.IntegerField(label=_("Number evacuated"), min_value=0, widget=NUMBER)
    observers = forms.CharField(
        label=_("Observers"),
        required=False,
        help_text=_("For example the village officer who watched the drill."),
    )
    problems_found = forms.CharField(label=_("Problems found"), required=False, widget=TEXT)
    evaluation = forms.CharField(label=_("Evaluation"), required=False, widget=TEXT)
    signer_name = forms.CharField(label=_("Responsible person"), max_length=100)
    signature = forms.CharField(label=_("Signature"), required=False, widget=forms.HiddenInput)

    RECORD_FIELDS = (
        "date",
        "scenario",
        "plan_type",
        "alarm_time",
        "all_clear_time",
        "headcount",
        "evacuated",
        "observers",
        "problems_found",
        "evaluation",
    )

    def record_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.RECORD_FIELDS}


class GroupRowForm(forms.Form):
    name = forms.CharField(label=_("Building or group"), max_length=100, required=False)
    headcount = forms.IntegerField(
        label=_("Headcount on site"), min_value=1, required=False, widget=NUMBER
    )
    evacuated = forms.IntegerField(
        label=_("Number evacuated"), min_value=0, required=False, widget=NUMBER
    )

    def clean(self):
        cleaned = super().clean()
        given = [
            name
            for name in ("name", "headcount", "evacuated")
            if cleaned.get(name) not in (None, "")
        ]
        if given and len(given) < 3:
            for name in ("name", "headcount", "evacuated"):
                if name not in given and name not in self.errors:
                    self.add_error(name, _("Fill in the whole row, or leave it empty."))
        return cleaned

    def row(self) -> dict | None:
        if not self.cleaned_data.get("name"):
            return None
        return {name: self.cleaned_data[name] for name in ("name", "headcount", "evacuated")}


GroupRowFormSet = forms.formset_factory(GroupRowForm, extra=3, max_num=30)

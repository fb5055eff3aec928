"""Forms of the phone entry of a drill: fields typed and labelled here, rules in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Person
from training.drills.models.records import DrillScenario, PlanType
from training.drills.rules import DrillDuty, duties_allowed, duties_implied

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": "1"}, format="%H:%M:%S")
NUMBER = forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"})
TEXT = forms.Textarea(attrs={"rows": 3})


class DutiesWidget(forms.CheckboxSelectMultiple):
    """The duty checkboxes, each carrying the drill kinds ("scenario:plan_type") that imply it
    and those that allow it, from the rules; training/drills/duties.js ticks and locks the
    implied ones and disables the impossible ones as the scenario and plan type change."""

    class Media:
        js = ["training/drills/duties.js"]

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        kinds = [
            (scenario, plan_type)
            for scenario in DrillScenario.values
            for plan_type in PlanType.values
        ]
        option["attrs"].update(
            {
                "data-drill-duty": value,
                "data-implied-by": " ".join(
                    f"{s}:{p}" for s, p in kinds if value in duties_implied(scenario=s, plan_type=p)
                ),
                "data-allowed-by": " ".join(
                    f"{s}:{p}" for s, p in kinds if value in duties_allowed(scenario=s, plan_type=p)
                ),
            }
        )
        return option


class DutiesField(forms.MultipleChoiceField):
    """满足的演练义务: the duties a drill record claims to meet (rules.DrillDuty). Shared by the
    phone entry and the back-office record form; the services check it (drill_record_check)."""

    widget = DutiesWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Duties met"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _(
                "Ticked and locked: the drill meets it by its scenario and plan. Greyed out: a "
                "drill of this kind cannot meet it."
            ),
        )
        super().__init__(choices=DrillDuty.choices, **kwargs)


class DrillEntryForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    scenario = forms.ChoiceField(label=_("Scenario"), choices=DrillScenario.choices)
    plan_type = forms.ChoiceField(label=_("Plan type"), choices=PlanType.choices)
    alarm_time = forms.TimeField(label=_("Alarm time"), widget=TIME)
    all_clear_time = forms.TimeField(label=_("All-clear time"), widget=TIME)
    headcount = forms.IntegerField(label=_("Headcount on site"), min_value=1, widget=NUMBER)
    evacuated = forms.IntegerField(label=_("Number evacuated"), min_value=0, widget=NUMBER)
    duties = DutiesField()
    observers = forms.CharField(
        label=_("Observers"),
        required=False,
        help_text=_("For example the village officer who watched the drill."),
    )
    problems_found = forms.CharField(label=_("Problems found"), required=False, widget=TEXT)
    evaluation = forms.CharField(label=_("Evaluation"), required=False, widget=TEXT)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants (optional)"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick the people of the enterprise who took part; the headcount on site stays the "
            "figure of the drill."
        ),
    )
    signer_name = forms.CharField(label=_("Responsible person"), max_length=100)
    signature = forms.CharField(label=_("Signature"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, people=None, **kwargs):
        """`people`: those the one entering may list (the enterprise's people they see)."""
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["participants"].queryset = people

    RECORD_FIELDS = (
        "date",
        "scenario",
        "plan_type",
        "alarm_time",
        "all_clear_time",
        "headcount",
        "evacuated",
        "duties",
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

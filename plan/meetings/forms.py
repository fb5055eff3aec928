from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import Department, Village
from plan.meetings.models import DispatchMeeting
from plan.meetings.services import DecisionInput
from plan.tasklist.models import PlanItem

# 五(六): the task list's working mechanism, where tasks the town decides on join the list.
DEFAULT_PLAN_ITEM = "五(六)"


class MeetingForm(forms.ModelForm):
    class Meta:
        model = DispatchMeeting
        fields = [
            "held_on",
            "place",
            "chair",
            "attending_departments",
            "attending_villages",
            "attendee_names",
            "summary",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "attending_departments": forms.CheckboxSelectMultiple,
            "attending_villages": forms.CheckboxSelectMultiple,
            "attendee_names": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attending_departments"].queryset = Department.objects.filter(
            is_town_office=False
        )


def _unit_choices():
    departments = [
        (f"department:{pk}", name)
        for pk, name in Department.objects.filter(is_town_office=False).values_list("pk", "name")
    ]
    villages = [(f"village:{pk}", name) for pk, name in Village.objects.values_list("pk", "name")]
    return [
        ("", "---------"),
        (gettext_lazy("Departments"), departments),
        (gettext_lazy("Villages and communities"), villages),
    ]


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Meeting decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    make_task = forms.BooleanField(label=gettext_lazy("Make it a task"), required=False)
    title = forms.CharField(label=gettext_lazy("Task title"), required=False, max_length=200)
    plan_item = forms.ModelChoiceField(
        label=gettext_lazy("Plan item"), queryset=PlanItem.objects.all(), required=False
    )
    lead_unit = forms.ChoiceField(label=gettext_lazy("Lead unit"), required=False)
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].choices = _unit_choices()
        default = PlanItem.objects.filter(code=DEFAULT_PLAN_ITEM).first()
        if default is not None:
            self.fields["plan_item"].initial = default.pk

    def decision(self, row: int) -> DecisionInput | None:
        """The row as the service takes it; None for a row left blank."""
        data = self.cleaned_data
        if not data.get("text", "").strip() and not data.get("make_task"):
            return None
        kind, _sep, pk = (data.get("lead_unit") or "").partition(":")
        return DecisionInput(
            text=data.get("text", ""),
            make_task=bool(data.get("make_task")),
            title=data.get("title", ""),
            plan_item=data.get("plan_item"),
            department=Department.objects.filter(pk=pk).first() if kind == "department" else None,
            village=Village.objects.filter(pk=pk).first() if kind == "village" else None,
            deadline=data.get("deadline"),
            row=row,
        )


DecisionFormSet = forms.formset_factory(DecisionForm, extra=3)


def formset_problems(formset) -> list[str]:
    """Each bad field of each decision row, naming the row (the rows are numbered from 1)."""
    problems = []
    for row, form in enumerate(formset.forms, start=1):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                problems.append(
                    _("Decision %(row)s: %(problem)s")
                    % {"row": row, "problem": f"{label}：{error}" if label else error}
                )
    return problems


def formset_decisions(formset) -> list[DecisionInput]:
    rows = (form.decision(row) for row, form in enumerate(formset.forms, start=1))
    return [d for d in rows if d is not None]

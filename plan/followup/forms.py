"""Forms of the follow-up screens; every write goes through plan.followup.services."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Department, Village
from plan.tasklist.models import Task
from reports.selectors.monthly import reporting_units

DATE = forms.DateInput(attrs={"type": "date"})


class UnitChoiceField(forms.ChoiceField):
    """One department or village, as {"department": …} or {"village": …}."""

    def __init__(self, **kwargs):
        super().__init__(choices=self._choices, **kwargs)

    @staticmethod
    def _choices():
        return [("", "---------")] + [(f"{u.kind}:{u.pk}", u.name) for u in reporting_units()]

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return {}
        kind, _sep, pk = value.partition(":")
        model = {"department": Department, "village": Village}.get(kind)
        unit = model.objects.filter(pk=pk).first() if model and pk.isdigit() else None
        if unit is None:
            raise ValidationError(_("Choose one department or one village."))
        return {kind: unit}


def _month_field(label):
    return forms.TypedChoiceField(label=label, coerce=int, choices=[(m, m) for m in range(1, 13)])


class OrderIssueForm(forms.Form):
    task = forms.ModelChoiceField(
        label=_("task"), queryset=Task.objects.select_related("plan_item")
    )
    unit = UnitChoiceField(label=_("Responsible unit"))
    requirement = forms.CharField(
        label=_("what is required"), widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateField(label=_("deadline"), widget=DATE)


class OrderAnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 4}))
    answer_file = forms.FileField(
        label=_("evidence file"),
        required=False,
        help_text=_("Optional: a PDF or a picture, seen only by the unit and the town office."),
    )


class OrderReturnForm(forms.Form):
    return_comment = forms.CharField(
        label=_("reason for sending back"), widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(label=_("new deadline"), required=False, widget=DATE)


class TalkForm(forms.Form):
    held_on = forms.DateField(label=_("date of the talk"), widget=DATE)
    unit = UnitChoiceField(label=_("Unit talked to"))
    interviewees = forms.CharField(label=_("people talked to"), max_length=200)
    interviewers = forms.CharField(label=_("held by"), max_length=200)
    task = forms.ModelChoiceField(
        label=_("task"), queryset=Task.objects.select_related("plan_item"), required=False
    )
    subject = forms.CharField(
        label=_("subject of the talk"), widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.CharField(label=_("outcome"), widget=forms.Textarea(attrs={"rows": 3}))


class BulletinForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=[])
    month = _month_field(_("Month"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].choices = [(y, y) for y in range(today.year, 2023, -1)]
        last = today.replace(day=1) - datetime.timedelta(days=1)
        self.initial.setdefault("year", last.year)
        self.initial.setdefault("month", last.month)

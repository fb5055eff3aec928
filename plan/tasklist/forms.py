"""The back office's task form: the task, its lead and cooperating units, its goal for each plan
year; saved through plan.tasklist.services.task_save."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from directory.models import Department, Village
from plan.tasklist.models import PlanItem, Task, TaskStatus, TaskUnitRole
from plan.tasklist.services import PLAN_YEARS
from reports.metrics.catalogue import catalogue_choices

UNIT_FIELDS = {
    ("department", TaskUnitRole.LEAD): "lead_departments",
    ("village", TaskUnitRole.LEAD): "lead_villages",
    ("department", TaskUnitRole.COOPERATING): "cooperating_departments",
    ("village", TaskUnitRole.COOPERATING): "cooperating_villages",
}


def plan_item_label(item: PlanItem) -> str:
    label = f"{item.code} {item.text[:40]}"
    return label if item.confirmed else f"{label} ({_('wording awaits confirmation')})"


class PlanItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return plan_item_label(obj)


class TaskForm(WagtailAdminModelForm):
    plan_item = PlanItemChoiceField(queryset=PlanItem.objects.all(), label=_("plan item"))
    indicator_metric = forms.ChoiceField(label=_("indicator"), required=False)
    lead_departments = forms.ModelMultipleChoiceField(
        Department.objects.order_by("sort_order", "name"),
        label=_("Lead departments"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lead_villages = forms.ModelMultipleChoiceField(
        Village.objects.order_by("name"),
        label=_("Lead villages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cooperating_departments = forms.ModelMultipleChoiceField(
        Department.objects.order_by("sort_order", "name"),
        label=_("Cooperating departments"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cooperating_villages = forms.ModelMultipleChoiceField(
        Village.objects.order_by("name"),
        label=_("Cooperating villages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Task
        fields = [
            "plan_item",
            "key",
            "title",
            "deadline",
            "indicator_metric",
            "indicator_target",
            "deliverable",
            "status",
            "completed_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_metric"].choices = [("", "—"), *catalogue_choices()]
        for year in PLAN_YEARS:
            self.fields[f"goal_{year}"] = forms.CharField(
                label=_("Goal for %(year)s") % {"year": year},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        task = self.instance
        if task.pk:
            for unit in task.units.all():
                kind = "department" if unit.department_id else "village"
                name = UNIT_FIELDS[(kind, unit.role)]
                self.initial.setdefault(name, []).append(unit.department_id or unit.village_id)
            for goal in task.year_goals.all():
                self.initial[f"goal_{goal.year}"] = goal.goal

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("lead_departments") or cleaned.get("lead_villages")):
            self.add_error("lead_departments", _("Name at least one lead unit."))
        for kind in ("departments", "villages"):
            both = set(cleaned.get(f"lead_{kind}") or ()) & set(
                cleaned.get(f"cooperating_{kind}") or ()
            )
            if both:
                self.add_error(
                    f"cooperating_{kind}", _("A unit cannot both lead and cooperate on a task.")
                )
        if cleaned.get("status") == TaskStatus.DONE and not cleaned.get("completed_on"):
            self.add_error("completed_on", _("A completed task needs its completion date."))
        return cleaned

    def units(self) -> list[tuple[str, int, str]]:
        return [
            (kind, unit.pk, role)
            for (kind, role), name in UNIT_FIELDS.items()
            for unit in self.cleaned_data.get(name) or ()
        ]

    def goals(self) -> dict[int, str]:
        return {year: self.cleaned_data.get(f"goal_{year}", "") for year in PLAN_YEARS}


class PlanItemForm(WagtailAdminModelForm):
    class Meta:
        model = PlanItem
        fields = ["section", "text", "confirmed"]

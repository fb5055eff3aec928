"""Drills in the back office: plans and records scoped like the registry."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.widgets import ListingButton

from directory.constants import AccountRole
from directory.models import Enterprise
from directory.selectors import account_role, editable_by
from directory.views.admin import RegistryViewSet, ScopedEditView, ScopedIndexView
from training.drills.forms import DutiesField
from training.drills.models.records import DrillPlan, DrillRecord
from training.drills.services.participants import participants_outside
from training.drills.services.records import (
    drill_plan_create,
    drill_record_check,
    drill_record_create,
    drill_record_update,
    duty_values,
)

# --- forms: the enterprise chosen among those the user may change ----------------------------


class DrillForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.fields["enterprise"].queryset = editable_by(user, Enterprise)
        if account_role(user) == AccountRole.ENTERPRISE_MANAGER and not self.instance.pk:
            self.fields["enterprise"].initial = user.enterprise_id

    def cleaned_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class DrillPlanForm(DrillForm):
    class Meta:
        model = DrillPlan
        fields = ["enterprise", "year", "planned_date", "scenario", "plan_type"]


class DrillRecordForm(DrillForm):
    duties = DutiesField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["duties"].initial = sorted(self.instance.duties)

    def clean(self):
        cleaned = super().clean()
        scenario, plan_type = cleaned.get("scenario"), cleaned.get("plan_type")
        duties = cleaned.get("duties") or []
        errors = drill_record_check(
            date=cleaned.get("date"), scenario=scenario, plan_type=plan_type, duties=duties
        )
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field, message)
        enterprise = cleaned.get("enterprise")
        moved = enterprise and participants_outside(self.instance, enterprise.pk)
        if moved:
            self.add_error("enterprise", moved)
        # Set before the model's clean() runs (in _post_clean), so that it judges the duties
        # claimed here, not those the record had; impossible ones are refused above.
        if scenario and plan_type:
            for name, value in duty_values(
                scenario=scenario, plan_type=plan_type, duties=duties
            ).items():
                setattr(self.instance, name, value)
        return cleaned

    class Meta:
        model = DrillRecord
        fields = [
            "enterprise",
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
        ]


# --- views: writes go through the services ---------------------------------------------------


class DrillPlanCreateView(generic.CreateView):
    def save_instance(self):
        return drill_plan_create(user=self.request.user, **self.form.cleaned_fields())


class DrillRecordCreateView(generic.CreateView):
    def save_instance(self):
        return drill_record_create(user=self.request.user, **self.form.cleaned_fields())


class DrillRecordEditView(ScopedEditView):
    def save_instance(self):
        # The form has already set the new values on the instance.
        return drill_record_update(
            user=self.request.user,
            record=self.form.instance,
            duties=self.form.cleaned_data["duties"],
        )


class PercentColumn(Column):
    def get_value(self, instance):
        value = super().get_value(instance)
        return "" if value is None else f"{value:.0%}"


class DrillPlanViewSet(RegistryViewSet):
    model = DrillPlan
    form_class = DrillPlanForm
    add_view_class = DrillPlanCreateView
    icon = "date"
    name = "drill_plans"
    url_prefix = "drills/plans"
    list_display = ["enterprise", "year", "planned_date", "scenario", "plan_type"]
    list_select_related = ("enterprise",)
    list_filter = ["year", "scenario", "plan_type"]
    search_fields = ["enterprise__name"]


class DrillRecordIndexView(ScopedIndexView):
    def get_list_more_buttons(self, instance):
        url = reverse("drill_review", args=[instance.pk])
        participants = reverse("drill_participants", args=[instance.pk])
        return [
            ListingButton(_("Review"), url=url, icon_name="tick", priority=5),
            ListingButton(
                pgettext_lazy("drill list", "Participants"),
                url=participants,
                icon_name="group",
                priority=6,
            ),
            *super().get_list_more_buttons(instance),
        ]


class DrillRecordViewSet(RegistryViewSet):
    model = DrillRecord
    index_view_class = DrillRecordIndexView
    form_class = DrillRecordForm
    add_view_class = DrillRecordCreateView
    edit_view_class = DrillRecordEditView
    icon = "clipboard-list"
    name = "drill_records"
    url_prefix = "drills/records"
    list_display = [
        "enterprise",
        "date",
        "scenario",
        Column("evacuation_duration", label=_("Evacuation duration")),
        PercentColumn("participation_rate", label=_("Participation rate")),
        Column("duty_labels", label=_("Duties met")),
        "review_status",
    ]
    list_select_related = ("enterprise",)
    list_filter = ["review_status", "scenario", "plan_type"]
    search_fields = ["enterprise__name"]

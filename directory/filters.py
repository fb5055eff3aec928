"""Filters of the back-office registry listings; every choice list comes from the scoping."""

import django_filters
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import BooleanRadioSelect

from directory.constants import (
    AccountRole,
    EmploymentType,
    EnterpriseStatus,
    PersonRole,
    PersonStatus,
)
from directory.models import Department, Enterprise, Industry, Person, Village
from directory.selectors import account_role, visible_to


def _label(model, field_name):
    return capfirst(model._meta.get_field(field_name).verbose_name)


def _visible(model):
    def queryset(request):
        return visible_to(getattr(request, "user", None), model)

    return queryset


class EnterpriseFilterSet(WagtailFilterSet):
    village = django_filters.ModelChoiceFilter(
        label=_label(Enterprise, "village"), queryset=_visible(Village), empty_label=_("All")
    )
    industry = django_filters.ModelChoiceFilter(
        label=_label(Enterprise, "industry"), queryset=_visible(Industry), empty_label=_("All")
    )
    lead_department = django_filters.ModelChoiceFilter(
        label=_label(Enterprise, "lead_department"),
        queryset=_visible(Department),
        empty_label=_("All"),
    )
    is_fire_key_unit = django_filters.BooleanFilter(
        label=_label(Enterprise, "is_fire_key_unit"), widget=BooleanRadioSelect
    )
    handles_hazardous_chemicals = django_filters.BooleanFilter(
        label=_label(Enterprise, "handles_hazardous_chemicals"), widget=BooleanRadioSelect
    )
    is_crowded_place = django_filters.BooleanFilter(
        label=_label(Enterprise, "is_crowded_place"), widget=BooleanRadioSelect
    )
    status = django_filters.ChoiceFilter(
        label=_label(Enterprise, "status"),
        choices=EnterpriseStatus.choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )

    class Meta:
        model = Enterprise
        fields = [
            "village",
            "industry",
            "lead_department",
            "is_fire_key_unit",
            "handles_hazardous_chemicals",
            "is_crowded_place",
            "status",
        ]


class PersonFilterSet(WagtailFilterSet):
    role = django_filters.ChoiceFilter(
        label=_("Role"),
        choices=PersonRole.choices,
        method="filter_role",
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    employment_type = django_filters.ChoiceFilter(
        label=_label(Person, "employment_type"),
        choices=EmploymentType.choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(
        label=_label(Person, "status"),
        choices=PersonStatus.choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    employer__village = django_filters.ModelChoiceFilter(
        label=_("Village of the employer"), queryset=_visible(Village), empty_label=_("All")
    )

    class Meta:
        model = Person
        fields = ["role", "employment_type", "status", "employer__village"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A village officer's or a manager's people all share one village. (No employer
        # dropdown: the town office's would list every enterprise; search by its name instead.)
        if account_role(getattr(self.request, "user", None)) not in (
            AccountRole.TOWN_OFFICE,
            AccountRole.DEPARTMENT_OFFICER,
        ):
            del self.filters["employer__village"]

    def filter_role(self, queryset, name, value):
        return queryset.with_role(value) if value else queryset

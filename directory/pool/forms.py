"""The pool's back-office forms: a member is a person already in the registry under a
department (the person's ID and phone stay on the person, masked by its rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.forms import RegistryForm
from directory.models import Enterprise, Person, PoolInspection, PoolMember
from directory.pool.selectors import pool_members_editable_by
from directory.scoping import editable_by


class PoolMemberForm(RegistryForm):
    class Meta:
        model = PoolMember
        fields = [
            "person",
            "kind",
            "expertise",
            "qualifications",
            "employer_name",
            "contract_start",
            "contract_end",
            "service_provider",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = editable_by(self.for_user, Person).filter(department__isnull=False)
        taken = PoolMember.objects.exclude(pk=self.instance.pk).values("person_id")
        self.fields["person"].queryset = people.exclude(pk__in=taken).order_by("name")
        self.fields["person"].help_text = _(
            "Register the expert or technical inspector in the people registry first, under the "
            "department that manages them; their own work unit is entered below."
        )

    def clean_person(self):
        person = self.cleaned_data["person"]
        if person.employer_id is not None or person.department_id is None:
            raise forms.ValidationError(
                _("%(name)s is not registered under a department; change the person first.")
                % {"name": person.name}
            )
        return person


class PoolInspectionForm(RegistryForm):
    class Meta:
        model = PoolInspection
        fields = ["member", "inspected_on", "enterprise", "scope", "findings"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = pool_members_editable_by(self.for_user).select_related(
            "person"
        )
        self.fields["enterprise"].queryset = editable_by(self.for_user, Enterprise)

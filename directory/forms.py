"""Back-office registry forms: identifiers normalised, choices narrowed to the user's scope."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from directory.constants import AccountRole
from directory.identifiers import id_number_mask, normalize_code, phone_mask, phone_validate
from directory.models import Department, Enterprise, Industry, Person, Post, Village
from directory.rights import locked_fields
from directory.selectors import (
    account_role,
    departments_assignable_by,
    editable_by,
    sees_personal_data,
    visible_to,
)


class CodeField(forms.CharField):
    """An identifier typed or pasted as it comes: full-width, spaced, lower case x all accepted.

    The model's validator (GB 11643 / GB 32100 checksum) then checks the normalised value.
    """

    def to_python(self, value):
        return normalize_code(super().to_python(value))

    def widget_attrs(self, widget):
        # The length limit applies to the normalised value; "3101 1819…" may be typed longer.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class RegistryForm(WagtailAdminModelForm):
    """Base: the user comes from Wagtail's `for_user`; a form without one offers nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The fields the user's role may not change (directory.rights) are shown, not edited.
        self.disable(*locked_fields(self.for_user, self._meta.model))

    @property
    def role(self) -> str | None:
        return account_role(self.for_user)

    def disable(self, *names: str) -> None:
        for name in names:
            if name in self.fields:
                self.fields[name].disabled = True


class EnterpriseForm(RegistryForm):
    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "address",
            "village",
            "industry",
            "lead_department",
            "headcount",
            "is_fire_key_unit",
            "handles_hazardous_chemicals",
            "is_crowded_place",
            "status",
            "principal",
        ]
        field_classes = {"credit_code": CodeField}
        error_messages = {
            "credit_code": {
                "unique": _(
                    "An enterprise with this unified social credit code is already registered."
                )
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if self.instance.pk:
            self.fields["principal"].queryset = visible_to(
                user, Person, Person.objects.filter(employer_id=self.instance.pk)
            )
        else:
            # A new enterprise has no people yet to choose from.
            del self.fields["principal"]
        if self.role == AccountRole.DEPARTMENT_OFFICER:
            # An officer registers and keeps enterprises of the own sector only.
            self.fields["lead_department"].queryset = departments_assignable_by(user)
            self.fields["lead_department"].initial = user.department_id
        elif self.role == AccountRole.ENTERPRISE_MANAGER:
            # Sector, place and lead department keep their stored choice: they are locked for
            # the manager (directory.rights, disabled by RegistryForm), not emptied as below.
            pass
        elif self.role != AccountRole.TOWN_OFFICE:
            for name in ("village", "industry", "lead_department"):
                self.fields[name].queryset = self.fields[name].queryset.none()


class PersonForm(RegistryForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "id_number",
            "phone",
            "employer",
            "department",
            "village",
            "is_principal",
            "is_safety_manager",
            "is_special_operator",
            "is_general_worker",
            "is_inspector",
            "is_cadre",
            "employment_type",
            "work_post",
            "post",
            "hire_date",
            "post_since",
            "away_since",
            "returned_on",
            "status",
        ]
        field_classes = {"id_number": CodeField}
        error_messages = {
            "id_number": {"unique": _("A person with this ID number is already registered.")}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.fields["employer"].queryset = editable_by(user, Enterprise)
        if self.role != AccountRole.TOWN_OFFICE:
            # A village's and the town's leading cadres are registered by the town office.
            del self.fields["village"]
        if self.role == AccountRole.DEPARTMENT_OFFICER:
            self.fields["department"].queryset = departments_assignable_by(user)
        elif self.role != AccountRole.TOWN_OFFICE:
            # Inspectors belong to departments; an enterprise only registers its own staff.
            del self.fields["department"]
            del self.fields["is_cadre"]
            self.fields["employer"].required = True
            if user is not None and not self.instance.pk:
                self.fields["employer"].initial = user.enterprise_id
        if self.instance.pk and not sees_personal_data(user, self.instance):
            self._hide_personal_data()

    def _hide_personal_data(self) -> None:
        """Show whole ID and phone numbers only to those who may see them; they stay unchanged."""
        del self.fields["id_number"]
        del self.fields["phone"]
        self.fields["id_number_masked"] = forms.CharField(
            label=capfirst(Person._meta.get_field("id_number").verbose_name),
            required=False,
            disabled=True,
            initial=id_number_mask(self.instance.id_number),
        )
        self.fields["phone_masked"] = forms.CharField(
            label=capfirst(Person._meta.get_field("phone").verbose_name),
            required=False,
            disabled=True,
            initial=phone_mask(self.instance.phone),
        )
        # Keep the masked fields where the whole ones were.
        self.order_fields(["name", "id_number_masked", "phone_masked"])

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        return phone_validate(phone) if phone else ""

    def clean(self):
        cleaned = super().clean()
        employer = cleaned.get("employer")
        department = cleaned.get("department")
        if employer and department:
            raise forms.ValidationError(
                _(
                    "A person works either for an enterprise or, as an inspector, for a "
                    "department; choose one."
                )
            )
        if (
            self.role == AccountRole.DEPARTMENT_OFFICER
            and not employer
            and not department
            and "employer" not in self.errors
            and "department" not in self.errors
        ):
            self.add_error(
                "employer", _("Choose the employer, or your department for an inspector.")
            )
        return cleaned


# Reference data: only the town office changes it (selectors.*_editable_by), so no narrowing.
class DepartmentForm(RegistryForm):
    class Meta:
        model = Department
        fields = ["name", "is_town_office", "industries", "sort_order"]
        widgets = {"industries": forms.CheckboxSelectMultiple}


class VillageForm(RegistryForm):
    class Meta:
        model = Village
        fields = ["name", "kind"]


class PostForm(RegistryForm):
    class Meta:
        model = Post
        fields = ["name", "sort_order"]


class IndustryForm(RegistryForm):
    class Meta:
        model = Industry
        fields = ["name", "risk_class", "drills_half_yearly", "sort_order"]


class ArchiveForm(forms.Form):
    """Why a record kept for its retention period is withdrawn (directory.services.archive)."""

    # Checked by the service, which names the record in its message.
    reason = forms.CharField(
        label=_("Reason for archiving"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The record leaves every list and figure but is kept for its retention period; "
            "it can be restored."
        ),
    )

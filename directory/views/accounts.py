"""Login accounts in the back office: Wagtail's user screens with the account's role and unit.

The town office creates the logins of every role here, and may tie an account to the person it
belongs to in the registry (by ID number: a dropdown of 100,000 people would be useless).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users

from directory import services
from directory.constants import AccountRole
from directory.identifiers import normalize_code
from directory.models import Person

ROLE_UNIT = {
    AccountRole.DEPARTMENT_OFFICER: "department",
    AccountRole.VILLAGE_OFFICER: "village",
    AccountRole.ENTERPRISE_MANAGER: "enterprise",
}
UNIT_FIELDS = ("department", "village", "enterprise")


class AccountFormMixin(forms.Form):
    """Role, unit and the registry person, on top of Wagtail's own user form."""

    person_id_number = forms.CharField(
        label=_("ID number of the person"),
        required=False,
        help_text=_("Ties the account to this person in the registry (learners, managers)."),
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        # Many workers have no e-mail address; a name is in the registry already.
        for name in ("email", "first_name", "last_name"):
            self.fields[name].required = False
        if for_user is None or not for_user.is_superuser:
            # Only an administrator makes administrators.
            self.fields.pop("is_superuser", None)
        person = getattr(self.instance, "person", None) if self.instance.pk else None
        if person is not None:
            self.fields["person_id_number"].initial = person.id_number

    def clean_person_id_number(self) -> Person | None:
        number = normalize_code(self.cleaned_data.get("person_id_number"))
        if not number:
            return None
        person = Person.objects.filter(id_number=number).select_related("employer").first()
        if person is None:
            raise ValidationError(_("No person with this ID number is registered."))
        if person.account_id and person.account_id != self.instance.pk:
            raise ValidationError(_("%(person)s already has a login account.") % {"person": person})
        return person

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        needed = ROLE_UNIT.get(role)
        for name in UNIT_FIELDS:
            if name != needed:
                cleaned[name] = None
        if needed and not cleaned.get(needed):
            self.add_error(needed, _("This role needs its unit."))
        person = cleaned.get("person_id_number")
        enterprise = cleaned.get("enterprise")
        if person and role == AccountRole.ENTERPRISE_MANAGER and person.employer != enterprise:
            self.add_error(
                "person_id_number",
                _("%(person)s does not work for the enterprise this account manages.")
                % {"person": person.name},
            )
        if role == AccountRole.LEARNER and not person:
            self.add_error("person_id_number", _("A learner's account belongs to a person."))
        return cleaned

    def save(self, commit=True):
        account = super().save(commit=commit)
        if commit:
            services.account_person_set(
                account=account, person=self.cleaned_data["person_id_number"], by=self.for_user
            )
        return account


ACCOUNT_FIELDS = ["role", "department", "village", "enterprise"]


class AccountCreationForm(AccountFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(ACCOUNT_FIELDS)


class AccountEditForm(AccountFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(ACCOUNT_FIELDS)


class _ForUserMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class AccountCreateView(_ForUserMixin, users.CreateView):
    pass


class AccountEditView(_ForUserMixin, users.EditView):
    pass


class AccountIndexView(users.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("department", "village", "enterprise")

    @cached_property
    def columns(self):
        columns = list(super().columns)
        columns.insert(
            3,
            Column("role", accessor="get_role_display", label=_("Role"), sort_key="role"),
        )
        columns.insert(
            4,
            Column(
                "unit",
                accessor=lambda user: user.enterprise or user.village or user.department or "",
                label=_("Unit"),
            ),
        )
        return columns


class AccountViewSet(users.UserViewSet):
    index_view_class = AccountIndexView
    add_view_class = AccountCreateView
    edit_view_class = AccountEditView
    create_template_name = "directory/accounts/create.html"
    edit_template_name = "directory/accounts/edit.html"

    def get_form_class(self, for_update=False):
        return AccountEditForm if for_update else AccountCreationForm

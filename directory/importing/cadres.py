"""The leading cadres' import template (领导干部名单): 姓名, 身份证号, 手机号, 所属单位, 职务.

所属单位 names a department or a village of the registry; 镇 (or 镇领导, or nothing) means the
town's own leaders. Every row is a leading cadre: the file does not touch the other roles of a
person already registered, and a person employed by an enterprise cannot be listed (a cadre
belongs to a department, a village or the town).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from directory import selectors
from directory.constants import AccountRole
from directory.identifiers import (
    id_number_validate,
    normalize_code,
    phone_validate,
)
from directory.importing.resources import ChangeLoggedResource, MaskedNumbers
from directory.importing.widgets import CodeWidget, TextWidget
from directory.models import Department, Person, Village
from directory.models.people import unit_problems

# The words of 所属单位 that name the town itself.
TOWN_WORDS = {"", "镇", "镇领导", "徐泾镇"}


def _name(value) -> str:
    return unicodedata.normalize("NFKC", str(value or "")).strip()


class CadreUnitField(fields.Field):
    """所属单位: a department's or a village's name, or the town; written as the two links."""

    model_attnames = ["department_id", "village_id"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.departments: dict[str, Department] = {}
        self.villages: dict[str, Village] = {}

    def clean(self, row, **kwargs):
        name = _name(row.get(self.column_name))
        if name in TOWN_WORDS:
            return None, None
        if name in self.departments:
            return self.departments[name], None
        if name in self.villages:
            return None, self.villages[name]
        raise ValueError(
            _("No department or village named “%(value)s”; write 镇 for the town's leaders.")
            % {"value": name}
        )

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.department, instance.village = self.clean(row)
        instance.is_cadre = True

    def export(self, instance, **kwargs):
        return instance.cadre_unit_label if instance.unit is not None else "镇"


class CadreResource(MaskedNumbers, ChangeLoggedResource):
    key_field = "id_number"
    required_columns = ("姓名", "身份证号", "所属单位")

    name = fields.Field(
        attribute="name", column_name="姓名", widget=TextWidget(required=True, max_length=50)
    )
    id_number = fields.Field(
        attribute="id_number",
        column_name="身份证号",
        widget=CodeWidget(validator=id_number_validate),
    )
    phone = fields.Field(
        attribute="phone",
        column_name="手机号",
        widget=CodeWidget(validator=phone_validate, required=False),
    )
    unit = CadreUnitField(attribute="unit", column_name="所属单位")
    post = fields.Field(attribute="post", column_name="职务", widget=TextWidget(max_length=100))

    class Meta:
        model = Person
        fields = ("name", "id_number", "phone", "unit", "post")
        import_id_fields = ("id_number",)

    def compared_attnames(self) -> list[str]:
        # Listing a registered person makes them a cadre: the flag is part of the change.
        return [*super().compared_attnames(), "is_cadre"]

    def filter_export(self, queryset, **kwargs):
        return queryset.filter(is_cadre=True).select_related("department", "village")

    def prefetch(self, dataset):
        unit = self.fields["unit"]
        unit.departments = {_name(d.name): d for d in Department.objects.all()}
        unit.villages = {_name(v.name): v for v in Village.objects.all()}
        self.editable_ids = set()
        if self.viewer is not None:
            keys = {normalize_code(v) for v in dataset[self.fields["id_number"].column_name]}
            self.editable_ids = set(
                selectors.people_editable_by(self.viewer)
                .filter(id_number__in=keys)
                .values_list("pk", flat=True)
            )

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance.derive_from_id_number()

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors:
            for name, text in unit_problems(instance).items():
                errors.setdefault("unit" if name != "employer" else NON_FIELD, []).append(text)
        if errors:
            raise ValidationError(errors)

    def record_problem(self, instance):
        role = selectors.account_role(self.viewer)
        if role == AccountRole.TOWN_OFFICE:
            return None
        if instance.pk and instance.pk not in self.editable_ids:
            return _("This person belongs to an enterprise outside your responsibility.")
        if (
            role != AccountRole.DEPARTMENT_OFFICER
            or instance.village_id
            or (instance.department_id != self.viewer.department_id)
        ):
            return _("You may list the leading cadres of your own department only.")
        return None


NON_FIELD = "__all__"

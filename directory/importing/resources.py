"""The registry's import templates as django-import-export resources: enterprises and people.

Each resource's fields are the column contract of its template (the issue's headers, in order).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from directory import selectors
from directory.constants import EmploymentType, PersonRole
from directory.identifiers import (
    credit_code_validate,
    id_number_mask,
    id_number_validate,
    normalize_code,
    phone_mask,
    phone_validate,
)
from directory.importing.base import RegistryResource
from directory.importing.vocabulary import (
    EMPLOYMENT_NAMES,
    EMPLOYMENT_WORDS,
    ROLE_NAMES,
    ROLE_WORDS,
)
from directory.importing.widgets import (
    CodeWidget,
    CountWidget,
    DateWidget,
    LookupWidget,
    TextWidget,
    WordWidget,
    YesNoWidget,
)
from directory.models import (
    ROLE_FIELDS,
    Department,
    Enterprise,
    Industry,
    Person,
    Post,
    Village,
)
from directory.models.people import absence_problems, post_since_after_return, unit_problems
from directory.rights import registry_write_problem
from directory.services import SOURCE_IMPORT, registry_changes_log


class RolesField(fields.Field):
    """人员类别: one or more roles, separated by 、 , ; or /, stored as the role booleans."""

    SEPARATORS = re.compile(r"[、,，;；/|\s]+")
    # The model fields it writes, compared to tell an unchanged row.
    model_attnames = list(ROLE_FIELDS.values())

    def clean(self, row, **kwargs):
        words = [w for w in self.SEPARATORS.split(str(row.get(self.column_name) or "")) if w]
        words = [unicodedata.normalize("NFKC", w) for w in words]
        if not words:
            return [PersonRole.GENERAL_WORKER]
        unknown = [w for w in words if w not in ROLE_WORDS]
        if unknown:
            raise ValueError(
                _("Unknown person category “%(value)s”; use %(choices)s.")
                % {"value": "、".join(unknown), "choices": "、".join(ROLE_NAMES.values())}
            )
        return [ROLE_WORDS[w] for w in words]

    def save(self, instance, row, is_m2m=False, **kwargs):
        roles = set(self.clean(row))
        for role, field_name in ROLE_FIELDS.items():
            setattr(instance, field_name, role in roles)


class ChangeLoggedResource(RegistryResource):
    """A registry resource whose every created or changed row gets a line in the registry change
    log (directory.services.registry_changes_log): one bulk insert per batch, beside the batch's
    own bulk write. Unchanged rows are skipped before they get here, so they log nothing.

    A row changing what the uploader's role may not change (directory.rights, the definition the
    back-office forms read too) is refused."""

    # Department ids the uploader may set as an enterprise's lead, read once per batch.
    assignable_departments: set | None = None

    def scope_problem(self, instance):
        problem = super().scope_problem(instance) or self.record_problem(instance)
        if problem:
            return problem
        before = None
        if instance.pk is not None:
            before = dict(zip(self.compared_attnames(), instance._import_state, strict=True))
        return registry_write_problem(
            self.viewer, instance, before, assignable_departments=self.assignable_departments
        )

    def record_problem(self, instance) -> str | None:
        """Why this record is outside the uploader's responsibility, or None."""
        return None

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        created = list(self.create_instances)
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)
        written = [(instance, None) for instance in created if instance.pk is not None]
        if written and (using_transactions or not dry_run):
            registry_changes_log(changes=written, user=self.viewer, source=SOURCE_IMPORT)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        names = self.compared_attnames()
        # What the loader read before this file's values were applied (PrefetchInstanceLoader).
        changed = [
            (instance, dict(zip(names, instance._import_state, strict=True)))
            for instance in self.update_instances
        ]
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size, result)
        if changed and (using_transactions or not dry_run):
            registry_changes_log(changes=changed, user=self.viewer, source=SOURCE_IMPORT)


def _lookup_all(model) -> dict:
    return {unicodedata.normalize("NFKC", obj.name).strip(): obj for obj in model.objects.all()}


class EnterpriseResource(ChangeLoggedResource):
    """企业名称, 统一社会信用代码, 地址, 所属村居, 行业领域, 牵头部门, 从业人数, three 是/否 flags."""

    key_field = "credit_code"
    required_columns = ("企业名称", "统一社会信用代码", "所属村居", "行业领域", "牵头部门")

    name = fields.Field(
        attribute="name", column_name="企业名称", widget=TextWidget(required=True, max_length=200)
    )
    credit_code = fields.Field(
        attribute="credit_code",
        column_name="统一社会信用代码",
        widget=CodeWidget(validator=credit_code_validate),
    )
    address = fields.Field(
        attribute="address", column_name="地址", widget=TextWidget(max_length=300)
    )
    village = fields.Field(
        attribute="village",
        column_name="所属村居",
        widget=LookupWidget(not_found=gettext_lazy("No village named “%(value)s”.")),
    )
    industry = fields.Field(
        attribute="industry",
        column_name="行业领域",
        widget=LookupWidget(not_found=gettext_lazy("No industry named “%(value)s”.")),
    )
    lead_department = fields.Field(
        attribute="lead_department",
        column_name="牵头部门",
        widget=LookupWidget(not_found=gettext_lazy("No department named “%(value)s”.")),
    )
    headcount = fields.Field(attribute="headcount", column_name="从业人数", widget=CountWidget())
    is_fire_key_unit = fields.Field(
        attribute="is_fire_key_unit", column_name="消防安全重点单位(是/否)", widget=YesNoWidget()
    )
    handles_hazardous_chemicals = fields.Field(
        attribute="handles_hazardous_chemicals",
        column_name="涉及危险化学品(是/否)",
        widget=YesNoWidget(),
    )
    is_crowded_place = fields.Field(
        attribute="is_crowded_place", column_name="人员密集场所(是/否)", widget=YesNoWidget()
    )

    class Meta:
        model = Enterprise
        fields = (
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
        )
        import_id_fields = ("credit_code",)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("village", "industry", "lead_department")

    def prefetch(self, dataset):
        for name, model in (
            ("village", Village),
            ("industry", Industry),
            ("lead_department", Department),
        ):
            widget = self.fields[name].widget
            if not widget.cache:
                widget.cache = _lookup_all(model)
        if self.viewer is not None:
            keys = {normalize_code(v) for v in dataset[self.fields["credit_code"].column_name]}
            self.editable_ids = set(
                selectors.enterprises_editable_by(self.viewer)
                .filter(credit_code__in=keys)
                .values_list("pk", flat=True)
            )
            self.assignable_departments = set(
                selectors.departments_assignable_by(self.viewer).values_list("pk", flat=True)
            )

    def record_problem(self, instance):
        if instance.pk and instance.pk not in self.editable_ids:
            return _("This enterprise is outside your responsibility; you may not change it.")
        return None

    def dehydrate_village(self, enterprise):
        return enterprise.village.name

    def dehydrate_industry(self, enterprise):
        return enterprise.industry.name

    def dehydrate_lead_department(self, enterprise):
        return enterprise.lead_department.name


class MaskedNumbers:
    """A person resource's export of ID and phone numbers: whole only for a viewer who sees them
    (`selectors.sees_personal_data`), masked otherwise; `personal_data_exported` tells the
    export log whether the file carried any whole number."""

    def _whole_numbers_for(self, person) -> bool:
        whole = self.viewer is None or selectors.sees_personal_data(self.viewer, person)
        self.personal_data_exported |= whole
        return whole

    def dehydrate_id_number(self, person):
        if self._whole_numbers_for(person):
            return person.id_number
        return id_number_mask(person.id_number)

    def dehydrate_phone(self, person):
        if self._whole_numbers_for(person):
            return person.phone
        return phone_mask(person.phone)


class PersonResource(MaskedNumbers, ChangeLoggedResource):
    """姓名, 身份证号, 手机号, 所属企业统一社会信用代码, 人员类别, 用工形式, 岗位, 工种, 入职日期,
    离岗日期, 返岗日期.

    岗位 is the free-text job title; 工种 names a post of the town's table (directory.Post), whose
    required certificates decide 持证上岗. A return after a year or more away (离岗日期 to 返岗日期)
    dates the current post from the return, as the person form does (第十七条).
    """

    key_field = "id_number"
    required_columns = ("姓名", "身份证号", "所属企业统一社会信用代码")

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
    employer = fields.Field(
        attribute="employer",
        column_name="所属企业统一社会信用代码",
        widget=LookupWidget(
            normalize=normalize_code,
            not_found=gettext_lazy("No enterprise with credit code “%(value)s” is registered."),
        ),
    )
    roles = RolesField(attribute="roles", column_name="人员类别")
    employment_type = fields.Field(
        attribute="employment_type",
        column_name="用工形式",
        widget=WordWidget(
            words=EMPLOYMENT_WORDS, names=EMPLOYMENT_NAMES, default=EmploymentType.REGULAR
        ),
    )
    post = fields.Field(attribute="post", column_name="岗位", widget=TextWidget(max_length=100))
    work_post = fields.Field(
        attribute="work_post",
        column_name="工种",
        widget=LookupWidget(
            required=False,
            not_found=gettext_lazy(
                "No post named “%(value)s” in the post table; the town office adds posts "
                "under Registry › Posts."
            ),
        ),
    )
    hire_date = fields.Field(attribute="hire_date", column_name="入职日期", widget=DateWidget())
    away_since = fields.Field(attribute="away_since", column_name="离岗日期", widget=DateWidget())
    returned_on = fields.Field(attribute="returned_on", column_name="返岗日期", widget=DateWidget())

    class Meta:
        model = Person
        fields = (
            "name",
            "id_number",
            "phone",
            "employer",
            "roles",
            "employment_type",
            "post",
            "work_post",
            "hire_date",
            "away_since",
            "returned_on",
        )
        import_id_fields = ("id_number",)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("employer", "work_post")

    def prefetch(self, dataset):
        codes = {
            normalize_code(v)
            for v in dataset[self.fields["employer"].column_name]
            if normalize_code(v)
        }
        enterprises = Enterprise.objects.filter(credit_code__in=codes).only("pk", "credit_code")
        self.fields["employer"].widget.cache = {e.credit_code: e for e in enterprises}
        self.fields["work_post"].widget.cache = {post.name: post for post in Post.objects.all()}
        if self.viewer is not None:
            keys = {normalize_code(v) for v in dataset[self.fields["id_number"].column_name]}
            self.editable_ids = set(
                selectors.people_editable_by(self.viewer)
                .filter(id_number__in=keys)
                .values_list("pk", flat=True)
            )
            self.editable_employer_ids = set(
                selectors.enterprises_editable_by(self.viewer)
                .filter(credit_code__in=codes)
                .values_list("pk", flat=True)
            )

    def get_bulk_update_fields(self):
        # A change of 工种 dates the new post (before_save_instance).
        return [*super().get_bulk_update_fields(), "post_since"]

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance.derive_from_id_number()
        if instance.pk is not None:
            before = dict(zip(self.compared_attnames(), instance._import_state, strict=True))
            # 第十七条: a move from one post to another dates the new post; re-training is due.
            if before["work_post_id"] is not None and before["work_post_id"] != (
                instance.work_post_id
            ):
                instance.post_since = timezone.localdate()
        # 第十七条: back after a year or more away, the post is dated from the return.
        instance.post_since = post_since_after_return(
            away_since=instance.away_since,
            returned_on=instance.returned_on,
            post_since=instance.post_since,
        )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "away_since" not in errors and "returned_on" not in errors:
            for name, text in absence_problems(instance.away_since, instance.returned_on).items():
                errors.setdefault(name, []).append(text)
        if "employer" not in errors and "roles" not in errors:
            # A leading cadre is listed in the cadres' file, never as an enterprise's staff.
            for name, text in unit_problems(instance).items():
                errors.setdefault(name, []).append(text)
        if errors:
            raise ValidationError(errors)

    def record_problem(self, instance):
        if instance.pk and instance.pk not in self.editable_ids:
            return _("This person belongs to an enterprise outside your responsibility.")
        if instance.employer_id not in self.editable_employer_ids:
            return _("You may not add people to this enterprise.")
        return None

    def dehydrate_employer(self, person):
        return person.employer.credit_code if person.employer_id else ""

    def dehydrate_work_post(self, person):
        return person.work_post.name if person.work_post_id else ""

    def dehydrate_roles(self, person):
        return "、".join(ROLE_NAMES[role] for role in person.roles)


RESOURCES: dict[str, type[RegistryResource]] = {
    "enterprises": EnterpriseResource,
    "people": PersonResource,
}
KIND_LABELS = {"enterprises": gettext_lazy("Enterprises"), "people": gettext_lazy("People")}


def import_kind_register(kind: str, *, resource: type[RegistryResource], label) -> None:
    """Let another app add an import kind (its command name, back-office choice and template)."""
    RESOURCES[kind] = resource
    KIND_LABELS[kind] = label


def resource_for(kind: str, *, viewer=None, **options) -> RegistryResource:
    """The resource of an import kind; `viewer` narrows what may be written and unmasks exports.

    `options` are the kind's own (questions: `bank`; attendance: `session`).
    """
    try:
        return RESOURCES[kind](viewer=viewer, **options)
    except KeyError:
        raise ValueError(_("Unknown import kind “%(kind)s”.") % {"kind": kind}) from None

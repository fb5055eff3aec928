"""Imports of related units (`relations`) and attached workers (`attachments`), through the
registry's import machinery (directory/importing/): the same dry run, per-row Chinese reasons
naming the column, and all-or-nothing write as enterprises and people.

relations — 企业统一社会信用代码 (the host), 关联单位统一社会信用代码, 关联单位名称 (checked against
the registry when given), 关系类型 (外包单位 / 承租单位 / 劳务派遣单位), 开始日期, 结束日期, 作业场所.
A row is known by (host, related unit, kind, start date): importing the file again changes
nothing, and a changed end date or place of work updates the relation.

attachments — 姓名, 身份证号, 用工企业统一社会信用代码 (the host), 开始日期, 结束日期. A row is known
by (person, host, start date). The attachment goes through the relation in force at its start
between the host and the person's employer (import the relations first); without one, the person
must be recorded as a dispatched or flexible worker (用工形式 劳务派遣 / 灵活用工).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields
from import_export.instance_loaders import BaseInstanceLoader

from directory import selectors
from directory.identifiers import id_number_mask, normalize_code, normalize_text
from directory.importing.base import RegistryResource
from directory.importing.widgets import (
    DateWidget,
    LookupWidget,
    TextWidget,
    WordWidget,
    person_columns,
)
from directory.models import Attachment, Enterprise, EnterpriseRelation, Person, RelationKind

# 关系类型 as a sheet writes it; the names are what an export writes back.
KIND_NAMES = {
    RelationKind.CONTRACTOR: "外包单位",
    RelationKind.TENANT: "承租单位",
    RelationKind.LABOUR_DISPATCH: "劳务派遣单位",
}
KIND_WORDS = {
    **{name: kind for kind, name in KIND_NAMES.items()},
    "外包": RelationKind.CONTRACTOR,
    "承包商": RelationKind.CONTRACTOR,
    "承包单位": RelationKind.CONTRACTOR,
    "外包单位/承包商": RelationKind.CONTRACTOR,
    "承租": RelationKind.TENANT,
    "租户": RelationKind.TENANT,
    "外租": RelationKind.TENANT,
    "劳务派遣": RelationKind.LABOUR_DISPATCH,
    "派遣单位": RelationKind.LABOUR_DISPATCH,
}


def _enterprise_widget() -> LookupWidget:
    return LookupWidget(
        normalize=normalize_code,
        not_found=gettext_lazy("No enterprise with credit code “%(value)s” is registered."),
    )


def _cell_date(row, column):
    try:
        return DateWidget().clean(row.get(column))
    except ValueError:
        return None


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return (a_end is None or a_end >= b_start) and (b_end is None or b_end >= a_start)


class KeyedLoader(BaseInstanceLoader):
    """The batch's rows already in the database, in one query, keyed by `resource.row_key`."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.instances = {}
        for instance in resource.existing(dataset):
            instance._import_state = resource.state_of(instance)
            self.instances[resource.instance_key(instance)] = instance

    def get_instance(self, row):
        return self.instances.get(self.resource.row_key(row))


class PeriodResource(RegistryResource):
    """Shared: rows with a start and an end date, checked against each other within the file
    (the database check, the model's `clean`, sees only what is already written)."""

    class Meta:
        instance_loader_class = KeyedLoader

    def __init__(self, *, viewer=None):
        super().__init__(viewer=viewer)
        # (who, host, …) -> [(row, start, end)] of the file's rows so far.
        self.periods: dict[tuple, list] = {}

    def compared_attnames(self) -> list[str]:
        return ["ends_on"]

    def get_bulk_update_fields(self):
        return [*self.compared_attnames(), "updated_at"]

    def period_key(self, instance) -> tuple:
        raise NotImplementedError

    def period_clash(self, instance, row_number) -> str | None:
        key = self.period_key(instance)
        for other_row, start, end in self.periods.get(key, []):
            if _overlaps(instance.starts_on, instance.ends_on, start, end):
                return _("Its dates overlap row %(row)s of this file.") % {"row": other_row}
        self.periods.setdefault(key, []).append((row_number, instance.starts_on, instance.ends_on))
        return None

    def scope_problem(self, instance):
        problem = super().scope_problem(instance)
        if problem:
            return problem
        if instance.host_id not in self.editable_host_ids:
            return _("This enterprise is outside your responsibility.")
        return None


class RelationResource(PeriodResource):
    """企业统一社会信用代码, 关联单位统一社会信用代码, 关联单位名称, 关系类型, 开始日期, 结束日期, 作业场所."""

    key_field = "host"
    required_columns = ("企业统一社会信用代码", "关联单位统一社会信用代码", "关系类型", "开始日期")

    host = fields.Field(
        attribute="host", column_name="企业统一社会信用代码", widget=_enterprise_widget()
    )
    unit = fields.Field(
        attribute="unit", column_name="关联单位统一社会信用代码", widget=_enterprise_widget()
    )
    name = fields.Field(
        attribute="import_name", column_name="关联单位名称", widget=TextWidget(max_length=200)
    )
    kind = fields.Field(
        attribute="kind",
        column_name="关系类型",
        widget=WordWidget(words=KIND_WORDS, names=KIND_NAMES, default=""),
    )
    starts_on = fields.Field(attribute="starts_on", column_name="开始日期", widget=DateWidget())
    ends_on = fields.Field(attribute="ends_on", column_name="结束日期", widget=DateWidget())
    workplaces = fields.Field(
        attribute="workplaces", column_name="作业场所", widget=TextWidget(max_length=300)
    )

    class Meta(PeriodResource.Meta):
        model = EnterpriseRelation
        fields = ("host", "unit", "name", "kind", "starts_on", "ends_on", "workplaces")
        import_id_fields = ("host",)

    def compared_attnames(self) -> list[str]:
        return ["ends_on", "workplaces"]

    def row_key(self, row) -> tuple:
        return (
            normalize_code(row.get(self.fields["host"].column_name)),
            normalize_code(row.get(self.fields["unit"].column_name)),
            KIND_WORDS.get(normalize_text(row.get(self.fields["kind"].column_name))),
            _cell_date(row, self.fields["starts_on"].column_name),
        )

    def instance_key(self, relation) -> tuple:
        return (
            relation.host.credit_code,
            relation.unit.credit_code,
            relation.kind,
            relation.starts_on,
        )

    def existing(self, dataset):
        codes = self._codes(dataset)
        return EnterpriseRelation.objects.filter(
            host__credit_code__in=codes, unit__credit_code__in=codes
        ).select_related("host", "unit")

    def _codes(self, dataset) -> set[str]:
        return {
            normalize_code(v)
            for column in ("host", "unit")
            for v in dataset[self.fields[column].column_name]
        } - {""}

    def prefetch(self, dataset):
        codes = self._codes(dataset)
        enterprises = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
        self.fields["host"].widget.cache = enterprises
        self.fields["unit"].widget.cache = enterprises
        if self.viewer is not None:
            self.editable_host_ids = set(
                selectors.enterprises_editable_by(self.viewer)
                .filter(credit_code__in=codes)
                .values_list("pk", flat=True)
            )

    def file_key(self, instance):
        if not (instance.host_id and instance.unit_id and instance.starts_on):
            return None
        return (instance.host_id, instance.unit_id, instance.kind, instance.starts_on)

    def period_key(self, instance) -> tuple:
        return (instance.host_id, instance.unit_id, instance.kind)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not instance.kind and "kind" not in errors:
            errors["kind"] = [_("This column must not be empty.")]
        if instance.starts_on is None and "starts_on" not in errors:
            errors["starts_on"] = [_("This column must not be empty.")]
        if not errors:
            name = normalize_text(getattr(instance, "import_name", ""))
            if name and name != instance.unit.name:
                errors["import_name"] = [
                    _("The name does not match the registry (%(name)s) for this credit code.")
                    % {"name": instance.unit.name}
                ]
        if not errors:
            try:
                instance.clean()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if not errors and (clash := self.period_clash(instance, row["_row"])):
            errors[NON_FIELD_ERRORS] = [clash]
        if errors:
            raise ValidationError(errors)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("host", "unit")

    def dehydrate_host(self, relation):
        return relation.host.credit_code

    def dehydrate_unit(self, relation):
        return relation.unit.credit_code

    def dehydrate_name(self, relation):
        return relation.unit.name


class AttachmentResource(PeriodResource):
    """姓名, 身份证号, 用工企业统一社会信用代码, 开始日期, 结束日期."""

    key_field = "person"
    required_columns = ("姓名", "身份证号", "用工企业统一社会信用代码", "开始日期")

    name, person = person_columns()
    host = fields.Field(
        attribute="host", column_name="用工企业统一社会信用代码", widget=_enterprise_widget()
    )
    starts_on = fields.Field(attribute="starts_on", column_name="开始日期", widget=DateWidget())
    ends_on = fields.Field(attribute="ends_on", column_name="结束日期", widget=DateWidget())

    class Meta(PeriodResource.Meta):
        model = Attachment
        fields = ("name", "person", "host", "starts_on", "ends_on")
        import_id_fields = ("person",)

    def row_key(self, row) -> tuple:
        return (
            normalize_code(row.get(self.fields["person"].column_name)),
            normalize_code(row.get(self.fields["host"].column_name)),
            _cell_date(row, self.fields["starts_on"].column_name),
        )

    def instance_key(self, attachment) -> tuple:
        return (attachment.person.id_number, attachment.host.credit_code, attachment.starts_on)

    def existing(self, dataset):
        ids = {normalize_code(v) for v in dataset[self.fields["person"].column_name]} - {""}
        return Attachment.objects.filter(person__id_number__in=ids).select_related("person", "host")

    def prefetch(self, dataset):
        ids = {normalize_code(v) for v in dataset[self.fields["person"].column_name]} - {""}
        codes = {normalize_code(v) for v in dataset[self.fields["host"].column_name]} - {""}
        people = Person.objects.filter(id_number__in=ids).select_related("employer")
        self.fields["person"].widget.cache = {p.id_number: p for p in people}
        hosts = Enterprise.objects.filter(credit_code__in=codes)
        self.fields["host"].widget.cache = {e.credit_code: e for e in hosts}
        # The relations the batch's attachments may go through, by (host, employer).
        self.relations: dict[tuple, list[EnterpriseRelation]] = {}
        employers = {p.employer_id for p in people if p.employer_id}
        for relation in EnterpriseRelation.objects.filter(
            host__credit_code__in=codes, unit_id__in=employers
        ).order_by("starts_on", "pk"):
            self.relations.setdefault((relation.host_id, relation.unit_id), []).append(relation)
        if self.viewer is not None:
            self.editable_host_ids = set(
                selectors.enterprises_editable_by(self.viewer)
                .filter(credit_code__in=codes)
                .values_list("pk", flat=True)
            )

    def relation_at_start(self, instance) -> EnterpriseRelation | None:
        """The relation in force at the attachment's start (services.relation_for, from the
        batch's prefetched relations)."""
        for relation in self.relations.get((instance.host_id, instance.person.employer_id), []):
            if relation.is_current(instance.starts_on):
                return relation
        return None

    def file_key(self, instance):
        if not (instance.person_id and instance.host_id and instance.starts_on):
            return None
        return (instance.person_id, instance.host_id, instance.starts_on)

    def period_key(self, instance) -> tuple:
        return (instance.person_id, instance.host_id)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.starts_on is None and "starts_on" not in errors:
            errors["starts_on"] = [_("This column must not be empty.")]
        if not errors:
            name = normalize_text(getattr(instance, "import_name", ""))
            if name != instance.person.name:
                errors["import_name"] = [
                    _("The name does not match the registry (%(name)s) for this ID number.")
                    % {"name": instance.person.name}
                ]
        if not errors:
            if instance.pk is None or instance.relation_id is None:
                instance.relation = self.relation_at_start(instance)
            try:
                instance.clean()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            # The relation is found, not read from a column: its reasons name the host's.
            if "relation" in errors:
                errors.setdefault("host", []).extend(errors.pop("relation"))
        if not errors and (clash := self.period_clash(instance, row["_row"])):
            errors[NON_FIELD_ERRORS] = [clash]
        if errors:
            raise ValidationError(errors)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("person", "host")

    def dehydrate_name(self, attachment):
        return attachment.person.name

    def dehydrate_person(self, attachment):
        person = attachment.person
        if self.viewer is None or selectors.sees_personal_data(self.viewer, person):
            self.personal_data_exported = True
            return person.id_number
        return id_number_mask(person.id_number)

    def dehydrate_host(self, attachment):
        return attachment.host.credit_code


def relation_imports_register() -> None:
    from directory.importing.resources import import_kind_register

    import_kind_register(
        "relations", resource=RelationResource, label=gettext_lazy("Related units")
    )
    import_kind_register(
        "attachments", resource=AttachmentResource, label=gettext_lazy("Attached workers")
    )

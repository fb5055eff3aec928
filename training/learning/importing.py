"""Import of historical training records into the study-hours ledger (`training_records`).

Template columns: 姓名, 身份证号, 培训名称, 培训类型, 学时, 培训日期, 培训机构, 培训专题 (optional:
一般安全培训 or 消防安全培训; a fire-safety row counts for 公安部61号令 第三十六条), 培训层级 (optional:
厂级, 车间级 or 班组级 for a row of three-level training, 第十二条). A row is known by
(person, date, training name): importing the same file twice changes nothing. It runs through the
registry's import machinery (directory/importing/), so the dry run, the all-or-nothing write and
the per-row Chinese reasons are the same as for people and enterprises.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields
from import_export.instance_loaders import BaseInstanceLoader
from import_export.widgets import Widget

from directory import selectors
from directory.identifiers import id_number_mask, normalize_code, normalize_text
from directory.importing.base import RegistryResource
from directory.importing.widgets import (
    DateWidget,
    TextWidget,
    WordWidget,
    person_columns,
)
from directory.models import Person
from training.common.hours import ENTRY_MAX_HOURS, hours_over_limit_message
from training.learning.models.ledger import (
    HourSource,
    StudyHourEntry,
    TrainingLevel,
    TrainingTopic,
)

# 培训专题 as written in the sheet; the names are what an export writes back.
TOPIC_NAMES = {TrainingTopic.GENERAL: "一般安全培训", TrainingTopic.FIRE_SAFETY: "消防安全培训"}
TOPIC_WORDS = {
    **{name: topic for topic, name in TOPIC_NAMES.items()},
    "一般": TrainingTopic.GENERAL,
    "安全培训": TrainingTopic.GENERAL,
    "消防": TrainingTopic.FIRE_SAFETY,
    "消防培训": TrainingTopic.FIRE_SAFETY,
}

# 培训层级 as written in the sheet (empty: not three-level training).
LEVEL_NAMES = {
    TrainingLevel.PLANT: "厂级",
    TrainingLevel.WORKSHOP: "车间级",
    TrainingLevel.TEAM: "班组级",
}
LEVEL_WORDS = {
    **{name: level for level, name in LEVEL_NAMES.items()},
    "厂": TrainingLevel.PLANT,
    "公司级": TrainingLevel.PLANT,
    "车间": TrainingLevel.WORKSHOP,
    "班组": TrainingLevel.TEAM,
}


class HoursWidget(Widget):
    """Study hours: a number above zero with at most one decimal ("8", "1.5", "8学时")."""

    def clean(self, value, row=None, **kwargs):
        text = normalize_text(value).removesuffix("学时")
        try:
            hours = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number of hours.") % {"value": text}) from None
        if not hours.is_finite() or hours <= 0:
            raise ValueError(_("Hours must be more than zero."))
        if hours > ENTRY_MAX_HOURS:
            raise ValueError(hours_over_limit_message())
        if hours != hours.quantize(Decimal("0.1")):
            raise ValueError(_("At most one decimal place (e.g. 1.5)."))
        return hours

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class EntryLoader(BaseInstanceLoader):
    """The batch's already-imported rows, fetched in one query, keyed by (ID, date, name)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        ids = {normalize_code(v) for v in dataset[resource.fields["person"].column_name]}
        self.instances = {}
        entries = StudyHourEntry.objects.filter(
            source=HourSource.IMPORTED, person__id_number__in=ids - {""}
        ).select_related("person")
        for entry in entries:
            entry._import_state = resource.state_of(entry)
            key = (entry.person.id_number, entry.date, entry.training_name)
            self.instances[key] = entry

    def get_instance(self, row):
        try:
            key = (
                normalize_code(row.get(self.resource.fields["person"].column_name)),
                DateWidget().clean(row.get(self.resource.fields["date"].column_name)),
                normalize_text(row.get(self.resource.fields["training_name"].column_name)),
            )
        except ValueError:
            return None
        return self.instances.get(key)


class TrainingRecordResource(RegistryResource):
    """姓名, 身份证号, 培训名称, 培训类型, 学时, 培训日期, 培训机构, 培训专题, 培训层级."""

    key_field = "person"
    required_columns = ("姓名", "身份证号", "培训名称", "学时", "培训日期")

    name, person = person_columns()
    training_name = fields.Field(
        attribute="training_name",
        column_name="培训名称",
        widget=TextWidget(required=True, max_length=200),
    )
    training_type = fields.Field(
        attribute="training_type", column_name="培训类型", widget=TextWidget(max_length=50)
    )
    hours = fields.Field(attribute="hours", column_name="学时", widget=HoursWidget())
    date = fields.Field(attribute="date", column_name="培训日期", widget=DateWidget())
    organisation = fields.Field(
        attribute="organisation", column_name="培训机构", widget=TextWidget(max_length=200)
    )
    topic = fields.Field(
        attribute="topic",
        column_name="培训专题",
        widget=WordWidget(words=TOPIC_WORDS, names=TOPIC_NAMES, default=TrainingTopic.GENERAL),
    )
    level = fields.Field(
        attribute="level",
        column_name="培训层级",
        widget=WordWidget(words=LEVEL_WORDS, names=LEVEL_NAMES, default=""),
    )

    class Meta:
        model = StudyHourEntry
        fields = (
            "name",
            "person",
            "training_name",
            "training_type",
            "hours",
            "date",
            "organisation",
            "topic",
            "level",
        )
        import_id_fields = ("person",)
        instance_loader_class = EntryLoader

    def compared_attnames(self) -> list[str]:
        return ["hours", "training_type", "organisation", "topic", "level"]

    def get_bulk_update_fields(self):
        return self.compared_attnames()

    def before_save_instance(self, instance, row, **kwargs):
        instance.source = HourSource.IMPORTED
        instance.confirmed_by = self.viewer

    def file_key(self, instance):
        if not instance.person_id or not instance.date:
            return None
        return (instance.person_id, instance.date, instance.training_name)

    def prefetch(self, dataset):
        ids = {normalize_code(v) for v in dataset[self.fields["person"].column_name]} - {""}
        people = Person.objects.filter(id_number__in=ids).only("pk", "id_number", "name")
        self.fields["person"].widget.cache = {p.id_number: p for p in people}
        if self.viewer is not None:
            self.editable_person_ids = set(
                selectors.people_editable_by(self.viewer)
                .filter(id_number__in=ids)
                .values_list("pk", flat=True)
            )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.person_id and not errors:
            name = getattr(instance, "import_name", "")
            if instance.date is None:
                errors["date"] = [_("This column must not be empty.")]
            elif normalize_text(name) != instance.person.name:
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    _("The name does not match the registry (%(name)s) for this ID number.")
                    % {"name": instance.person.name}
                )
        if errors:
            raise ValidationError(errors)

    def scope_problem(self, instance):
        problem = super().scope_problem(instance)
        if problem:
            return problem
        if instance.person_id not in self.editable_person_ids:
            return _("This person belongs to an enterprise outside your responsibility.")
        return None

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("person")

    def dehydrate_name(self, entry):
        return entry.person.name

    def dehydrate_person(self, entry):
        person = entry.person
        if self.viewer is None or selectors.sees_personal_data(self.viewer, person):
            return person.id_number
        return id_number_mask(person.id_number)

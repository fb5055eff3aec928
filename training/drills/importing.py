"""Import of drills held, one row per drill (`drill_records`).

Template columns: 企业统一社会信用代码, 演练日期, 演练情景, 预案类型, 报警时间, 解除时间, 在场人数,
疏散人数, 满足义务, 观察员, 发现问题, 评估. A row is known by (enterprise, date, scenario): importing
the same file twice changes nothing, a changed row goes back to review. Each row gets the checks of
the entry forms (training.drills.services.records.drill_record_validate: the duties the drill's
kind can meet, no date in the future, evacuated within the headcount) and runs through the
registry's import machinery: dry run, all-or-nothing, per-row Chinese reasons.
"""

import datetime
import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields
from import_export.instance_loaders import BaseInstanceLoader
from import_export.widgets import Widget

from directory import selectors
from directory.identifiers import normalize_code, normalize_text
from directory.importing.base import PersonListLoader, RegistryResource
from directory.importing.widgets import (
    CountWidget,
    DateWidget,
    LookupWidget,
    TextWidget,
    WordWidget,
    person_columns,
)
from directory.models import Enterprise, Person
from training.drills.models.participants import DrillParticipant, ParticipantSource
from training.drills.models.records import DrillRecord, ReviewStatus
from training.drills.rules import DUTY_FIELDS, DrillDuty
from training.drills.services.participants import participant_problem
from training.drills.services.records import drill_record_validate

# The Chinese words of the template (Chinese whatever the interface language).
SCENARIO_NAMES = {
    "fire_evacuation": "火灾疏散",
    "hazardous_chemical_leak": "危险化学品泄漏",
    "gas_leak": "燃气泄漏",
    "earthquake": "地震",
    "confined_space_rescue": "有限空间救援",
    "other": "其他",
}
SCENARIO_WORDS = {
    **{name: value for value, name in SCENARIO_NAMES.items()},
    "消防疏散": "fire_evacuation",
    "火灾": "fire_evacuation",
    "危化品泄漏": "hazardous_chemical_leak",
    "地震疏散": "earthquake",
    "有限空间": "confined_space_rescue",
}
PLAN_TYPE_NAMES = {
    "comprehensive": "综合应急预案",
    "special": "专项应急预案",
    "on_site": "现场处置方案",
}
PLAN_TYPE_WORDS = {
    **{name: value for value, name in PLAN_TYPE_NAMES.items()},
    "综合预案": "comprehensive",
    "专项预案": "special",
    "现场处置": "on_site",
}
DUTY_NAMES = {
    DrillDuty.EVACUATION: "疏散演练",
    DrillDuty.PLAN: "综合或专项应急预案演练",
    DrillDuty.ON_SITE: "现场处置方案演练",
    DrillDuty.FIRE: "消防演练",
}
DUTY_WORDS = {
    **{name: value for value, name in DUTY_NAMES.items()},
    "疏散": DrillDuty.EVACUATION,
    "疏散逃生演练": DrillDuty.EVACUATION,
    "预案演练": DrillDuty.PLAN,
    "综合或专项预案演练": DrillDuty.PLAN,
    "现场处置": DrillDuty.ON_SITE,
    "消防": DrillDuty.FIRE,
}
DUTY_SEPARATORS = re.compile(r"[、,，;；/\s]+")
TIME_FORMATS = ("%H:%M", "%H:%M:%S")


class TimeWidget(Widget):
    """A time of day: a real Excel time cell (or its fraction of a day), or text 14:00 / 14:00:30."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.time()
        if isinstance(value, datetime.time):
            return value
        if isinstance(value, float) and 0 <= value < 1:
            seconds = round(value * 86400)
            return datetime.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
        text = normalize_text(value).replace("：", ":")
        if not text:
            raise ValueError(_("This column must not be empty."))
        for fmt in TIME_FORMATS:
            try:
                # Only the time of day is kept: no zone is involved.
                return datetime.datetime.strptime(text, fmt).time()  # noqa: DTZ007
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a time (e.g. 9:05).") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%H:%M:%S") if value else ""


class DutiesWidget(Widget):
    """Duty names separated by 、 (or commas): 疏散演练、消防演练. Empty: none claimed."""

    def clean(self, value, row=None, **kwargs):
        duties = []
        for word in DUTY_SEPARATORS.split(normalize_text(value)):
            if not word:
                continue
            if word not in DUTY_WORDS:
                raise ValueError(
                    _("Unknown value “%(value)s”; use one of: %(choices)s.")
                    % {"value": word, "choices": "、".join(DUTY_NAMES.values())}
                )
            duties.append(DUTY_WORDS[word])
        return duties

    def render(self, value, obj=None, **kwargs):
        return "、".join(DUTY_NAMES[duty] for duty in DrillDuty.values if duty in (value or ()))


class DrillRecordLoader(BaseInstanceLoader):
    """The batch's enterprises' records, fetched in one query, keyed by (enterprise, date,
    scenario)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        enterprises = resource.fields["enterprise"].widget.cache.values()
        self.instances = {}
        records = DrillRecord.objects.filter(enterprise__in=[e.pk for e in enterprises])
        for record in records:
            record._import_state = resource.state_of(record)
            self.instances.setdefault((record.enterprise_id, record.date, record.scenario), record)

    def get_instance(self, row):
        fields_ = self.resource.fields
        try:
            key = (
                fields_["enterprise"].widget.clean(row.get(fields_["enterprise"].column_name)).pk,
                DateWidget().clean(row.get(fields_["date"].column_name)),
                fields_["name"].widget.clean(row.get(fields_["name"].column_name)),
            )
        except (ValueError, AttributeError):
            return None
        return self.instances.get(key)


class DrillRecordResource(RegistryResource):
    """企业统一社会信用代码, 演练日期, 演练情景, 预案类型, 报警时间, 解除时间, 在场人数, 疏散人数,
    满足义务, 观察员, 发现问题, 评估."""

    key_field = "enterprise"
    required_columns = (
        "企业统一社会信用代码",
        "演练日期",
        "演练情景",
        "预案类型",
        "报警时间",
        "解除时间",
        "在场人数",
        "疏散人数",
    )

    enterprise = fields.Field(
        attribute="enterprise",
        column_name="企业统一社会信用代码",
        widget=LookupWidget(
            normalize=normalize_code,
            not_found=gettext_lazy("No enterprise with credit code “%(value)s” is registered."),
        ),
    )
    date = fields.Field(attribute="date", column_name="演练日期", widget=DateWidget())
    # Called "name" as the per-row report shows it next to the credit code.
    name = fields.Field(
        attribute="scenario",
        column_name="演练情景",
        widget=WordWidget(words=SCENARIO_WORDS, names=SCENARIO_NAMES, default=""),
    )
    plan_type = fields.Field(
        attribute="plan_type",
        column_name="预案类型",
        widget=WordWidget(words=PLAN_TYPE_WORDS, names=PLAN_TYPE_NAMES, default=""),
    )
    alarm_time = fields.Field(attribute="alarm_time", column_name="报警时间", widget=TimeWidget())
    all_clear_time = fields.Field(
        attribute="all_clear_time", column_name="解除时间", widget=TimeWidget()
    )
    headcount = fields.Field(attribute="headcount", column_name="在场人数", widget=CountWidget())
    evacuated = fields.Field(attribute="evacuated", column_name="疏散人数", widget=CountWidget())
    duties = fields.Field(
        attribute="import_duties", column_name="满足义务", widget=DutiesWidget(), default=()
    )
    observers = fields.Field(
        attribute="observers", column_name="观察员", widget=TextWidget(max_length=500)
    )
    problems_found = fields.Field(
        attribute="problems_found", column_name="发现问题", widget=TextWidget(max_length=2000)
    )
    evaluation = fields.Field(
        attribute="evaluation", column_name="评估", widget=TextWidget(max_length=2000)
    )

    class Meta:
        model = DrillRecord
        fields = (
            "enterprise",
            "date",
            "name",
            "plan_type",
            "alarm_time",
            "all_clear_time",
            "headcount",
            "evacuated",
            "duties",
            "observers",
            "problems_found",
            "evaluation",
        )
        import_id_fields = ("enterprise",)
        instance_loader_class = DrillRecordLoader

    def compared_attnames(self) -> list[str]:
        return [
            "plan_type",
            "alarm_time",
            "all_clear_time",
            "headcount",
            "evacuated",
            "observers",
            "problems_found",
            "evaluation",
            *DUTY_FIELDS.values(),
        ]

    def get_bulk_update_fields(self):
        return [*self.compared_attnames(), "review_status", "recorded_by", "updated_at"]

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        # A changed record goes back to review, as drill_record_update does.
        instance.review_status = ReviewStatus.SUBMITTED
        instance.recorded_by = self.viewer

    def file_key(self, instance):
        if not instance.enterprise_id or not instance.date:
            return None
        return (instance.enterprise_id, instance.date, instance.scenario)

    def prefetch(self, dataset):
        column = self.fields["enterprise"].column_name
        codes = {normalize_code(v) for v in dataset[column]} - {""}
        enterprises = Enterprise.objects.filter(credit_code__in=codes).only(
            "pk", "credit_code", "name"
        )
        self.fields["enterprise"].widget.cache = {e.credit_code: e for e in enterprises}
        if self.viewer is not None:
            self.editable_enterprise_ids = set(
                selectors.enterprises_editable_by(self.viewer)
                .filter(credit_code__in=codes)
                .values_list("pk", flat=True)
            )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors:
            try:
                drill_record_validate(instance, duties=getattr(instance, "import_duties", ()))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    # The duties' refusals name the column 满足义务.
                    target = "import_duties" if field == "duties" else field
                    errors.setdefault(target, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def scope_problem(self, instance):
        problem = super().scope_problem(instance)
        if problem:
            return problem
        if instance.enterprise_id not in self.editable_enterprise_ids:
            return _("You may not record drills for this enterprise.")
        return None

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("enterprise")

    def dehydrate_enterprise(self, record):
        return record.enterprise.credit_code

    def dehydrate_duties(self, record):
        return self.fields["duties"].widget.render(record.duties)


# --- a drill's sign-in sheet: its list of participants (`drill_participants`, `--drill`) --------


class SheetTimeWidget(TimeWidget):
    """签到时间 on the sheet: optional, a time of day (9:05) or a full date and time."""

    def clean(self, value, row=None, **kwargs):
        if value is None or normalize_text(value) == "":
            return None
        return super().clean(value, row, **kwargs)

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%H:%M") if value else ""


class ParticipantListLoader(PersonListLoader):
    """The drill record's list, keyed by ID number, in one query."""

    def rows(self, resource):
        return None if resource.record is None else resource.record.participants


class DrillParticipantResource(RegistryResource):
    """姓名, 身份证号, 签到时间, 备注: the filled sign-in sheet of one drill (the columns of a
    session's sheet; 签退时间 is not read). Each person must be registered, named as in the
    registry and of the drill's enterprise; a person already listed is updated."""

    key_field = "person"
    required_columns = ("姓名", "身份证号")

    name, person = person_columns()
    signed_in_at = fields.Field(
        attribute="signed_in_at", column_name="签到时间", widget=SheetTimeWidget()
    )
    remark = fields.Field(attribute="remark", column_name="备注", widget=TextWidget(max_length=200))

    class Meta:
        model = DrillParticipant
        fields = ("name", "person", "signed_in_at", "remark")
        import_id_fields = ("person",)
        instance_loader_class = ParticipantListLoader

    def __init__(self, *, viewer=None, drill: int | DrillRecord | None = None):
        super().__init__(viewer=viewer)
        if drill is not None and not isinstance(drill, DrillRecord):
            # Archived records are not found (the default manager): their list is closed.
            drill = DrillRecord.objects.select_related("enterprise").filter(pk=drill).first()
        self.record = drill

    @classmethod
    def upload_option_fields(cls, *, viewer) -> dict:
        from django import forms

        from training.drills.selectors.records import drill_records_editable_by

        # A number, not a list: the town office may change tens of thousands of records.
        return {
            "drill": forms.ModelChoiceField(
                queryset=drill_records_editable_by(viewer),
                widget=forms.NumberInput(attrs={"min": "1"}),
                label=gettext_lazy("Drill record number (drill sign-in sheets)"),
                help_text=gettext_lazy(
                    "The number on the drill's participants page, where the sheet can also be "
                    "uploaded."
                ),
                error_messages={
                    "invalid_choice": gettext_lazy("No drill record of yours has this number.")
                },
            )
        }

    def compared_attnames(self) -> list[str]:
        return ["remark", "signed_in_at", "source"]

    def get_bulk_update_fields(self):
        return [*self.compared_attnames(), "added_by", "updated_at"]

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance.added_by = self.viewer

    def prefetch(self, dataset):
        ids = {normalize_code(v) for v in dataset[self.fields["person"].column_name]} - {""}
        people = Person.objects.filter(id_number__in=ids).only(
            "pk", "id_number", "name", "employer_id"
        )
        self.fields["person"].widget.cache = {p.id_number: p for p in people}
        self.may_change_record = (
            self.viewer is not None
            and self.record is not None
            and selectors.enterprises_editable_by(self.viewer)
            .filter(pk=self.record.enterprise_id)
            .exists()
        )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        problem = self._row_problem(instance)
        if problem and not errors:
            errors[NON_FIELD_ERRORS] = [problem]
        if errors:
            raise ValidationError(errors)
        instance.record = self.record
        instance.source = ParticipantSource.SIGN_IN_SHEET

    def _row_problem(self, instance) -> str | None:
        if self.record is None:
            return _("Name the drill record (--drill) the sheet belongs to.")
        if not instance.person_id:
            return None
        if normalize_text(getattr(instance, "import_name", "")) != instance.person.name:
            return _("The name does not match the registry (%(name)s) for this ID number.") % {
                "name": instance.person.name
            }
        return participant_problem(record=self.record, person=instance.person)

    def scope_problem(self, instance):
        problem = super().scope_problem(instance)
        if problem:
            return problem
        if not self.may_change_record:
            return _("You may not record drills for this enterprise.")
        return None

    def file_key(self, instance):
        return instance.person_id

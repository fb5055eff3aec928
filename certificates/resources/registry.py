"""The certificate import template as a django-import-export resource.

Columns: 姓名, 身份证号, 证书类型, 作业类别, 准操项目, 证号, 发证机关, 初领日期, 有效期至,
最近复审日期, 历次复审日期. Built on the registry's machinery (directory.importing.base): per-batch
prefetch, a row report with Chinese reasons, all-or-nothing. A row is one card: (type, number,
operation) is its key, as a special-operation card often carries the ID number once per
operation. People are found by ID number and must be registered already. The row is what the
card shows: 有效期至 as printed, 最近复审日期 the latest review passed and, optionally, 历次复审日期
the earlier ones; the status runs from the printed validity forward (rules.review_schedule), so
reviews before it that nobody typed in are not missed reviews.
"""

import datetime
import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields
from import_export.instance_loaders import BaseInstanceLoader

from certificates.models import (
    CertificateReview,
    CertificateType,
    OperationCategory,
    RegisteredCertificate,
    ReviewResult,
    SpecialOperation,
)
from certificates.rules import add_years, holder_age_warning
from certificates.services.registry import (
    card_review_problems,
    certificates_refresh,
    schedule_apply,
)
from directory import selectors
from directory.identifiers import id_number_mask, id_number_validate, normalize_code, normalize_text
from directory.importing.base import RegistryResource, header_key
from directory.importing.widgets import CodeWidget, DateWidget, LookupWidget, TextWidget
from directory.models import Person

# Older templates' headers and the column they mean now.
HEADER_ALIASES = {"复审日期": "最近复审日期"}
DERIVED_FIELDS = ["expires_on", "review_due_on", "invalid_since", "invalid_reason"]


class RequiredDateWidget(DateWidget):
    def clean(self, value, row=None, **kwargs):
        day = super().clean(value, row, **kwargs)
        if day is None:
            raise ValueError(_("This column must not be empty."))
        return day


class NameField(fields.Field):
    """姓名: checked against the registered person (by HolderField); writes nothing itself."""

    model_attnames: list[str] = []

    def save(self, instance, row, is_m2m=False, **kwargs):
        pass


class HolderField(fields.Field):
    """身份证号 → the registered person; the name in the file must match the registry's."""

    model_attnames = ["person_id"]

    def __init__(self, *, name_column: str, **kwargs):
        super().__init__(**kwargs)
        self.name_column = name_column
        self.people: dict[str, Person] = {}

    def clean(self, row, **kwargs):
        number = self.widget.clean(row.get(self.column_name))
        person = self.people.get(number)
        if person is None:
            raise ValueError(
                _("No person with this ID number is registered; import the people first.")
            )
        name = normalize_text(row.get(self.name_column))
        if name and name != person.name:
            raise ValueError(
                _("The name “%(name)s” does not match the registered “%(registered)s”.")
                % {"name": name, "registered": person.name}
            )
        return person


class WorkField(fields.Field):
    """作业类别 + 准操项目: a catalogue operation for special-operation cards, free text otherwise."""

    model_attnames = ["operation_id", "scope"]

    def __init__(self, *, category_column: str, type_column: str, types: LookupWidget, **kwargs):
        super().__init__(**kwargs)
        self.category_column = category_column
        self.type_column = type_column
        self.types = types
        self.operations: dict[tuple[str, str], SpecialOperation] = {}
        self.categories: set[str] = set()

    def clean(self, row, **kwargs):
        try:
            kind = self.types.clean(row.get(self.type_column))
        except ValueError:
            return None, ""  # reported on the 证书类型 column
        work = normalize_text(row.get(self.column_name))
        if not kind.needs_operation:
            return None, work[:100]
        category = normalize_text(row.get(self.category_column))
        if category not in self.categories:
            raise ValueError(
                _("Unknown operation category “%(value)s” (作业类别).") % {"value": category}
            )
        operation = self.operations.get((category, work))
        if operation is None:
            raise ValueError(
                _("“%(value)s” is not an operation of %(category)s in the catalogue.")
                % {"value": work, "category": category}
            )
        return operation, ""

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.operation, instance.scope = self.clean(row)


class ValidUntilField(fields.Field):
    """有效期至: as on the card; empty → the type's validity from the first issue."""

    model_attnames = ["valid_until"]

    def save(self, instance, row, is_m2m=False, **kwargs):
        day = self.clean(row)
        if day is None and instance.first_issued_on and instance.certificate_type_id:
            day = add_years(instance.first_issued_on, instance.certificate_type.validity_years)
        instance.valid_until = day


class ReviewField(fields.Field):
    """最近复审日期: the latest review passed, recorded as a review after the row is written."""

    model_attnames = ["imported_review_on"]

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.imported_review_on = self.clean(row)


DATE_SEPARATORS = re.compile(r"[、,，;；\s]+")


class EarlierReviewsField(fields.Field):
    """历次复审日期: earlier reviews passed, optional, several dates separated by 、 or ；.

    Compared by the reviews not recorded yet, so a file that repeats known reviews is skipped."""

    model_attnames = ["imported_new_reviews"]

    def clean(self, row, **kwargs):
        value = row.get(self.column_name)
        if value is None or not isinstance(value, str):
            day = self.widget.clean(value)
            return [day] if day else []
        return [self.widget.clean(part) for part in DATE_SEPARATORS.split(value) if part]

    def save(self, instance, row, is_m2m=False, **kwargs):
        days = self.clean(row)
        instance.imported_earlier_reviews = days
        recorded = getattr(instance, "recorded_reviews", frozenset())
        instance.imported_new_reviews = frozenset(days) - recorded


class CertificateInstanceLoader(BaseInstanceLoader):
    """The batch's existing cards in one query, keyed by (type, number, operation or scope)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        numbers = {normalize_code(v) for v in dataset[resource.fields["number"].column_name]}
        queryset = resource.get_queryset().filter(number__in=numbers - {""})
        self.instances = {}
        passed = defaultdict(set)
        for certificate_id, day in CertificateReview.objects.filter(
            certificate__in=queryset.order_by().values("pk"), result=ReviewResult.PASSED
        ).values_list("certificate_id", "reviewed_on"):
            passed[certificate_id].add(day)
        for instance in queryset:
            instance.recorded_reviews = frozenset(passed[instance.pk])
            instance.imported_review_on = max(passed[instance.pk], default=None)
            instance.imported_new_reviews = frozenset()
            instance._import_state = resource.state_of(instance)
            self.instances[resource.key_of(instance)] = instance

    def get_instance(self, row):
        try:
            kind = self.resource.fields["certificate_type"].clean(row)
            operation, scope = self.resource.fields["operation"].clean(row)
        except ValueError:
            return None
        number = normalize_code(row.get(self.resource.fields["number"].column_name))
        return self.instances.get((kind.pk, number, getattr(operation, "pk", None), scope))


class RegisteredCertificateResource(RegistryResource):
    """姓名, 身份证号, 证书类型, 作业类别, 准操项目, 证号, 发证机关, 初领日期, 有效期至, 最近复审日期,
    历次复审日期."""

    key_field = "number"
    required_columns = ("姓名", "身份证号", "证书类型", "证号", "发证机关", "初领日期")

    name = NameField(attribute="holder_name", column_name="姓名")
    person = HolderField(
        attribute="person",
        column_name="身份证号",
        name_column="姓名",
        widget=CodeWidget(validator=id_number_validate),
    )
    certificate_type = fields.Field(
        attribute="certificate_type",
        column_name="证书类型",
        widget=LookupWidget(not_found=gettext_lazy("No certificate type named “%(value)s”.")),
    )
    category = NameField(attribute="category_name", column_name="作业类别")
    operation = WorkField(
        attribute="operation",
        column_name="准操项目",
        category_column="作业类别",
        type_column="证书类型",
        types=certificate_type.widget,
    )
    number = fields.Field(
        attribute="number", column_name="证号", widget=TextWidget(required=True, max_length=50)
    )
    issuing_authority = fields.Field(
        attribute="issuing_authority",
        column_name="发证机关",
        widget=TextWidget(required=True, max_length=100),
    )
    first_issued_on = fields.Field(
        attribute="first_issued_on", column_name="初领日期", widget=RequiredDateWidget()
    )
    valid_until = ValidUntilField(
        attribute="valid_until", column_name="有效期至", widget=DateWidget()
    )
    review = ReviewField(
        attribute="imported_review_on", column_name="最近复审日期", widget=DateWidget()
    )
    earlier_reviews = EarlierReviewsField(
        attribute="imported_earlier_reviews", column_name="历次复审日期", widget=DateWidget()
    )

    class Meta:
        model = RegisteredCertificate
        fields = (
            "name",
            "person",
            "certificate_type",
            "category",
            "operation",
            "number",
            "issuing_authority",
            "first_issued_on",
            "valid_until",
            "review",
            "earlier_reviews",
        )
        instance_loader_class = CertificateInstanceLoader
        import_id_fields = ("number",)

    def __init__(self, *, viewer=None):
        super().__init__(viewer=viewer)
        self.reviews_to_record: dict[tuple, set[datetime.date]] = {}

    def match_headers(self, headers: list[str]) -> dict[int, str]:
        """Files made from the earlier template call the latest review 复审日期."""
        return super().match_headers([HEADER_ALIASES.get(header_key(h), h) for h in headers])

    # --- keys -----------------------------------------------------------------------------
    @staticmethod
    def key_of(instance) -> tuple:
        return (
            instance.certificate_type_id,
            instance.number,
            instance.operation_id,
            "" if instance.operation_id else instance.scope,
        )

    def file_key(self, instance):
        return self.key_of(instance) if instance.number else None

    # --- batches --------------------------------------------------------------------------
    def prefetch(self, dataset):
        types = self.fields["certificate_type"].widget
        work = self.fields["operation"]
        if not types.cache:
            types.cache = {t.name: t for t in CertificateType.objects.all()}
            work.categories = set(OperationCategory.objects.values_list("name", flat=True))
            work.operations = {
                (op.category.name, op.name): op
                for op in SpecialOperation.objects.select_related("category")
            }
        holder = self.fields["person"]
        numbers = {normalize_code(v) for v in dataset[holder.column_name]} - {""}
        people = Person.objects.filter(id_number__in=numbers).only(
            "pk", "name", "id_number", "birth_date", "sex"
        )
        holder.people = {p.id_number: p for p in people}
        if self.viewer is not None:
            self.editable_people = set(
                selectors.people_editable_by(self.viewer)
                .filter(id_number__in=numbers)
                .values_list("pk", flat=True)
            )

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # The model's own cross-field rules (dates in order, the operation for the type), then
        # the reviews against the card's dates.
        errors = {}
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, problem in self.review_problems(instance):
            errors.setdefault(name, []).append(problem)
        if errors:
            raise ValidationError(errors)
        # 第四条: the holder's age at the first issue, a warning to check (not a refusal).
        person = instance.person
        warning = holder_age_warning(
            birth_date=person.birth_date, sex=person.sex, first_issued_on=instance.first_issued_on
        )
        if warning:
            self.row_warnings.append(str(warning))

    @staticmethod
    def review_problems(instance) -> list[tuple[str, str]]:
        """The reviews of the row that the card's own dates rule out, by column attribute."""
        problems = card_review_problems(
            first_issued_on=instance.first_issued_on,
            valid_until=instance.valid_until,
            certificate_type=(instance.certificate_type if instance.certificate_type_id else None),
            last_reviewed_on=getattr(instance, "imported_review_on", None),
            earlier_reviews=getattr(instance, "imported_earlier_reviews", []),
        )
        attributes = {
            "last_reviewed_on": "imported_review_on",
            "earlier_reviews": "imported_earlier_reviews",
        }
        return [(attributes[name], text) for name, texts in problems.items() for text in texts]

    def scope_problem(self, instance):
        problem = super().scope_problem(instance)
        if problem:
            return problem
        if instance.person_id not in self.editable_people:
            return _("This person belongs to an enterprise outside your responsibility.")
        return None

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        # Provisional until after_import re-derives them with every recorded review.
        days = set(getattr(instance, "imported_earlier_reviews", []))
        latest = getattr(instance, "imported_review_on", None)
        if latest:
            days.add(latest)
        recorded = getattr(instance, "recorded_reviews", frozenset())
        schedule_apply(instance, [(day, True) for day in days | recorded])
        if days - recorded:
            self.reviews_to_record[self.key_of(instance)] = days - recorded

    def get_bulk_update_fields(self):
        concrete = {f.attname for f in RegisteredCertificate._meta.concrete_fields}
        names = [name for name in self.compared_attnames() if name in concrete]
        return [*names, *DERIVED_FIELDS, "updated_at"]

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run"):
            self.reviews_to_record = {}
            return
        self._record_reviews_and_refresh(dataset)

    def _record_reviews_and_refresh(self, dataset) -> None:
        numbers = {normalize_code(v) for v in dataset[self.fields["number"].column_name]}
        written = {
            self.key_of(c): c.pk
            for c in RegisteredCertificate.objects.filter(number__in=numbers - {""})
        }
        wanted = defaultdict(set)
        for key, days in self.reviews_to_record.items():
            if key in written:
                wanted[written[key]] |= days
        CertificateReview.objects.bulk_create(
            [
                # Hours are not in the template: left unknown rather than invented.
                CertificateReview(
                    certificate_id=pk, reviewed_on=day, result=ReviewResult.PASSED, note="导入"
                )
                for pk, days in wanted.items()
                for day in days
            ],
            ignore_conflicts=True,
        )
        certificates_refresh(certificate_ids=written.values())
        self.reviews_to_record = {}

    # --- export (the template and the back office's list) --------------------------------
    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("person", "certificate_type", "operation__category")

    def dehydrate_name(self, certificate):
        return certificate.person.name

    def dehydrate_person(self, certificate):
        person = certificate.person
        if self.viewer is None or selectors.sees_personal_data(self.viewer, person):
            return person.id_number
        return id_number_mask(person.id_number)

    def dehydrate_certificate_type(self, certificate):
        return certificate.certificate_type.name

    def dehydrate_category(self, certificate):
        return certificate.operation.category.name if certificate.operation_id else ""

    def dehydrate_operation(self, certificate):
        return certificate.work_label

    def dehydrate_review(self, certificate):
        return ""

    def dehydrate_earlier_reviews(self, certificate):
        return ""

"""The machinery every registry resource shares (django-import-export).

Built for speed on large files (shared/reference/tooling.md): bulk writes, no diffs, existing
rows and foreign keys fetched once per batch, unchanged rows skipped by comparing field values;
and for the uploader: scope checks, duplicate keys in the file, a per-row log with reasons.
"""

import re
import unicodedata
from typing import NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import resources
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from directory.identifiers import normalize_code
from directory.permissions import role_may

ROW_COLUMN = "_row"


class RowOutcome(NamedTuple):
    """What happened to one row; a tuple, as a 100,000-row report holds 100,000 of them."""

    row: int
    action: str  # RowResult.IMPORT_TYPE_*: new, update, skip, invalid, error
    key: str
    name: str
    errors: tuple[str, ...] = ()
    # Checks that do not refuse the row but want a look (e.g. the holder's age, 第四条).
    warnings: tuple[str, ...] = ()


def header_key(text: str) -> str:
    """Compare headers loosely: full-width → half-width, no spaces, no trailing "(是/否)"."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = re.sub(r"\s+", "", text)
    return re.sub(r"\(.*\)$", "", text)


class PrefetchInstanceLoader(BaseInstanceLoader):
    """Loads the batch's existing rows in one query, keyed by the natural key."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        column = resource.fields[resource.key_field].column_name
        self.column = column
        keys = {normalize_code(value) for value in dataset[column]} - {""}
        queryset = resource.get_queryset().filter(**{f"{resource.key_field}__in": keys})
        self.instances = {}
        for instance in queryset:
            instance._import_state = resource.state_of(instance)
            self.instances[getattr(instance, resource.key_field)] = instance

    def get_instance(self, row):
        return self.instances.get(normalize_code(row.get(self.column)))


class PersonListLoader(BaseInstanceLoader):
    """The rows of one list of people (a session's roster, a drill's participants) keyed by the
    person's ID number, in one query; `rows(resource)` names the list (None: no list yet)."""

    def rows(self, resource):
        raise NotImplementedError

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.instances = {}
        rows = self.rows(resource)
        if rows is None:
            return
        for row in rows.select_related("person"):
            row._import_state = resource.state_of(row)
            self.instances[row.person.id_number] = row

    def get_instance(self, row):
        return self.instances.get(
            normalize_code(row.get(self.resource.fields["person"].column_name))
        )


class RegistryResource(resources.ModelResource):
    """Shared machinery: per-batch prefetch, scope checks for the uploader, a per-row log."""

    key_field: str = ""
    required_columns: tuple[str, ...] = ()

    class Meta:
        instance_loader_class = PrefetchInstanceLoader
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        skip_unchanged = True
        report_skipped = False
        clean_model_instances = False

    def __init__(self, *, viewer=None):
        super().__init__()
        # None means the command line or a system task: no scope narrowing.
        self.viewer = viewer
        self.personal_data_exported = False
        self.seen_keys: dict[str, int] = {}
        self.outcomes: list[RowOutcome] = []
        # Warnings a subclass notes while importing the current row; import_row takes them.
        self.row_warnings: list[str] = []
        self._compared = None

    @classmethod
    def upload_option_fields(cls, *, viewer) -> dict:
        """Form fields for the kind's own options on the back-office upload (e.g. the session
        of an attendance sheet), by option name; the chosen values reach `__init__`."""
        return {}

    # --- columns --------------------------------------------------------------------------
    @classmethod
    def column_names(cls) -> list[str]:
        return [field.column_name for field in cls().get_import_fields()]

    def match_headers(self, headers: list[str]) -> dict[int, str]:
        """Map the file's column positions to template columns; complain of missing ones."""
        wanted = {header_key(name): name for name in self.column_names()}
        positions = {}
        for index, header in enumerate(headers):
            name = wanted.get(header_key(header))
            if name and name not in positions.values():
                positions[index] = name
        missing = [name for name in self.required_columns if name not in positions.values()]
        if missing:
            raise ValueError(
                _("The file lacks the column(s): %(columns)s. Download the template to see them.")
                % {"columns": "、".join(missing)}
            )
        return positions

    # --- comparing ------------------------------------------------------------------------
    def compared_attnames(self) -> list[str]:
        if self._compared is None:
            names = []
            for field in self.get_import_fields():
                if hasattr(field, "model_attnames"):
                    names.extend(field.model_attnames)
                elif field.attribute and field.attribute != self.key_field:
                    names.append(self._meta.model._meta.get_field(field.attribute).attname)
            self._compared = names
        return self._compared

    def state_of(self, instance) -> tuple:
        return tuple(getattr(instance, name) for name in self.compared_attnames())

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None:
            return False
        return getattr(instance, "_import_state", None) == self.state_of(instance)

    def get_bulk_update_fields(self):
        return [*self.compared_attnames(), "updated_at"]

    def before_save_instance(self, instance, row, **kwargs):
        instance.updated_at = timezone.now()

    # --- batches --------------------------------------------------------------------------
    def before_import(self, dataset, **kwargs):
        self.prefetch(dataset)

    def prefetch(self, dataset) -> None:
        """Fill the lookup widgets' dicts and the scope sets for this batch."""

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        key = self.file_key(instance)
        if key and self.key_field not in errors:
            first = self.seen_keys.setdefault(key, row[ROW_COLUMN])
            if first != row[ROW_COLUMN]:
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    _("Same %(column)s as row %(row)s of this file.")
                    % {"column": self.fields[self.key_field].column_name, "row": first}
                )
        if self.viewer is not None and not errors:
            problem = self.scope_problem(instance)
            if problem:
                errors.setdefault(NON_FIELD_ERRORS, []).append(problem)
        if errors:
            raise ValidationError(errors)

    def file_key(self, instance):
        """What may appear only once in a file (the natural key; a tuple for composite keys)."""
        return getattr(instance, self.key_field)

    def scope_problem(self, instance) -> str | None:
        """Why the uploader may not write this row, or None."""
        action = "change" if instance.pk else "add"
        if not role_may(self.viewer, self._meta.model, action):
            return _("Your account may not add or change these records.")
        return None

    # --- the per-row log ------------------------------------------------------------------
    def import_row(self, row, instance_loader, **kwargs):
        self.row_warnings = []
        result = super().import_row(row, instance_loader, **kwargs)
        errors = ()
        if result.import_type == RowResult.IMPORT_TYPE_INVALID:
            errors = tuple(self.messages_of(result.validation_error))
        elif result.import_type == RowResult.IMPORT_TYPE_ERROR:
            errors = tuple(str(error.error) for error in result.errors)
        self.outcomes.append(
            RowOutcome(
                row[ROW_COLUMN],
                result.import_type,
                normalize_code(row.get(self.fields[self.key_field].column_name)),
                str(row.get(self.fields["name"].column_name) or "").strip(),
                errors,
                () if errors else tuple(self.row_warnings),
            )
        )
        return result

    def messages_of(self, error: ValidationError) -> list[str]:
        messages = []
        for attribute, texts in error.message_dict.items():
            column = None
            if attribute != NON_FIELD_ERRORS:
                column = next(
                    (f.column_name for f in self.fields.values() if f.attribute == attribute),
                    attribute,
                )
            for text in texts:
                messages.append(f"{column}：{text}" if column else text)
        return messages

    def take_outcomes(self) -> list[RowOutcome]:
        outcomes, self.outcomes = self.outcomes, []
        return outcomes

"""The registry change log and the export log: who changed or took out which records."""

import datetime
import uuid
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from directory.identifiers import id_number_mask, phone_mask
from directory.models import (
    ExportLogEntry,
    RegistryLogEntry,
    User,
)


def export_log(*, user: User, kind: str, rows: int, personal_data: bool, query: str = "") -> None:
    """Record an export: the town office reads who took which personal data out, and when."""
    ExportLogEntry.objects.create(
        user=user,
        username=user.get_username(),
        kind=str(kind)[:100],
        rows=rows,
        personal_data=personal_data,
        query=query[:1000],
    )


# The registry change log -------------------------------------------------------------------

SOURCE_FORM = "form"
SOURCE_IMPORT = "import"
SOURCE_SERVICE = "service"
# Not copied into the log: set by the machine, or read from the ID number.
_UNLOGGED = {"id", "created_at", "updated_at", "birth_date", "sex"}
# Copied masked: the log is read by every manager in scope and outlives a correction.
_MASKED = {"id_number": id_number_mask, "phone": phone_mask}


def _logged_fields(model: type[models.Model]) -> list[models.Field]:
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [f for f in fields if f.name not in _UNLOGGED]


def _value(instance: models.Model, field: models.Field):
    if field.many_to_many:
        return tuple(sorted(getattr(instance, field.name).values_list("pk", flat=True)))
    return getattr(instance, field.attname)


def registry_state(instance: models.Model) -> dict:
    """The logged fields' values before a write, to hand to `registry_changes_log` after it
    (many-to-many links too, e.g. a department's industries)."""
    fields = _logged_fields(type(instance))
    if instance.pk is None:
        fields = [f for f in fields if not f.many_to_many]
    return {f.attname: _value(instance, f) for f in fields}


def _json(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _ids(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def registry_changes_log(
    *,
    changes: Sequence[tuple[models.Model, dict | None]],
    user: User | None,
    source: str,
) -> int:
    """Log registry records just created or changed, however they were written: one line each,
    all in one bulk insert (an import logs a batch of 1,000 rows in one statement).

    `changes` pairs each saved instance with its `registry_state` from before the write, or None
    when it was created. A line names every changed field with its old and new value (a related
    record also by name, e.g. the employer an import moved a person from and to); a created
    record is logged with its links (employer, department…); a record with nothing changed
    writes no line. Returns the number of lines written.
    """
    if not changes:
        return 0
    diffs = []
    for instance, before in changes:
        fields = _logged_fields(type(instance))
        if before is None:
            compared = {
                f: getattr(instance, f.attname)
                for f in fields
                if f.is_relation and not f.many_to_many and getattr(instance, f.attname)
            }
        else:
            # Only the fields the caller saw before: an import's rows carry no many-to-many.
            current = {f: _value(instance, f) for f in fields if f.attname in before}
            compared = {f: v for f, v in current.items() if before[f.attname] != v}
        if compared:
            diffs.append((instance, before, compared))
    names = _related_names(diffs)
    labels: dict[models.Field, str] = {}
    batch, now, entries = uuid.uuid4(), timezone.now(), []
    for instance, before, compared in diffs:
        fields = {}
        for field, new in compared.items():
            old = None if before is None else before[field.attname]
            mask = _MASKED.get(field.name)
            if field not in labels:
                labels[field] = str(field.verbose_name)
            change = {
                "label": labels[field],
                "old": mask(old or "") if mask else _json(old),
                "new": mask(new or "") if mask else _json(new),
            }
            if field.is_relation:
                model = field.related_model
                for key, value in (("old_name", old), ("new_name", new)):
                    found = [names[(model, pk)] for pk in _ids(value) if (model, pk) in names]
                    change[key] = "、".join(found)
            fields[field.name] = change
        entries.append(
            RegistryLogEntry(
                content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
                object_id=str(instance.pk),
                label=str(instance)[:255],
                action="wagtail.create" if before is None else "wagtail.edit",
                timestamp=now,
                user=user,
                uuid=batch,
                content_changed=True,
                data={"source": source, "changes": fields},
            )
        )
    RegistryLogEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def _related_names(diffs) -> dict:
    """(related model, pk) → its name, one query per related model for the whole batch."""
    wanted: dict[type[models.Model], set] = {}
    for _instance, before, compared in diffs:
        for field, new in compared.items():
            if field.is_relation:
                ids = wanted.setdefault(field.related_model, set())
                ids.update(_ids(new))
                if before is not None:
                    ids.update(_ids(before[field.attname]))
    names = {}
    for model, ids in wanted.items():
        for pk, obj in model._base_manager.in_bulk(ids - {None}).items():
            names[(model, pk)] = str(obj)
    return names

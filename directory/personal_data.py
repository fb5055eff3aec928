"""Everything the platform holds about one person, machine-readable (PIPL 第四十五条: a person may
consult and copy their personal information; the right to data portability).

The person's registry fields, their account, the registry's change log of them (employer and
role history), and every row of every model that points at the person — ledger, progress,
enrolments, assignments, exam attempts, attendance, issued and registered certificates — found
through the Person model's relations, so a model added later is in the download without a
change here; and the account's messages. The caller logs the download (services.export_log).
"""

import datetime
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from directory.constants import AccountRole
from directory.models import Notification, Person, RegistryLogEntry

FORMAT_VERSION = 1
# Relations to the person that are not their data: exams and course assignments addressed to
# a list of people name everyone on it; only that the person is on it is theirs.
AUDIENCE_FIELDS = {"audience_people"}


def _value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _value(item) for key, item in value.items()}
    if isinstance(value, models.Model):
        return {"id": value.pk, "name": str(value)}
    if hasattr(value, "name"):  # a file field: its stored name
        return value.name or ""
    return str(value)


def _row(instance: models.Model, skip: set[str] = frozenset()) -> dict[str, Any]:
    """Concrete fields by name; a foreign key as its id and what it shows as; choices labelled."""
    row = {}
    for field in instance._meta.concrete_fields:
        if field.name in skip:
            continue
        if field.is_relation:
            related = getattr(instance, field.name)
            row[field.name] = None if related is None else _value(related)
            continue
        value = getattr(instance, field.attname)
        row[field.name] = _value(value)
        if field.choices and value not in (None, ""):
            row[f"{field.name}_label"] = str(getattr(instance, f"get_{field.name}_display")())
    return row


def _related_sections(person: Person) -> dict[str, dict]:
    sections = {}
    for relation in Person._meta.related_objects:
        model = relation.related_model
        label = model._meta.label_lower
        if relation.many_to_many:
            if relation.field.name not in AUDIENCE_FIELDS:
                continue
            rows = [
                {"id": obj.pk, "name": str(obj)}
                for obj in model.objects.filter(**{relation.field.name: person}).order_by("pk")
            ]
            key = f"{label}.{relation.field.name}"
        else:
            queryset = model.objects.filter(**{relation.field.name: person}).order_by("pk")
            rows = [_row(obj, skip={relation.field.name}) for obj in queryset]
            key = label
        sections[key] = {"label": str(model._meta.verbose_name_plural), "rows": rows}
    return sections


def _account(person: Person) -> dict | None:
    user = person.account
    if user is None:
        return None
    return {
        "username": user.get_username(),
        "role": user.role,
        "role_label": str(AccountRole(user.role).label) if user.role else "",
        "unit": _value(user.enterprise or user.village or user.department),
        "date_joined": _value(user.date_joined),
        "last_login": _value(user.last_login),
        "is_active": user.is_active,
    }


def _registry_history(person: Person) -> list[dict]:
    """Each recorded change to the person's registry entry (employer, roles, status…)."""
    entries = RegistryLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk)
    ).order_by("timestamp", "pk")
    return [
        {
            "timestamp": _value(entry.timestamp),
            "action": entry.action,
            "label": entry.label,
            "data": _value(entry.data),
        }
        for entry in entries
    ]


def personal_data_export(*, person: Person) -> dict:
    """The whole record as a JSON-ready dict; `rows` in it counts the rows for the export log."""
    held = _related_sections(person)
    messages = []
    if person.account_id:
        messages = [
            _row(note, skip={"recipient"})
            for note in Notification.objects.filter(recipient_id=person.account_id).order_by("pk")
        ]
    history = _registry_history(person)
    data = {
        "format_version": FORMAT_VERSION,
        "generated_at": _value(timezone.now()),
        "person": _row(person, skip={"account"}) | {"roles": [str(r) for r in person.role_labels]},
        "account": _account(person),
        "registry_history": history,
        "held": held,
        "messages": messages,
    }
    data["rows"] = 1 + len(history) + len(messages) + sum(len(s["rows"]) for s in held.values())
    return data

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
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from directory.constants import AccountRole
from directory.models import Notification, Person, RegistryLogEntry, User

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


# --- the same copy for people: tables with the interface's labels --------------------------------


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}($|T\d{2}:\d{2})")


@dataclass
class Table:
    """One section of the copy as a table: a title, column labels and rows of display values."""

    title: str
    headers: list[str]
    rows: list[list[str]]


def _shown(value: Any) -> str:
    """A JSON value as a person reads it: names for linked records, 是/否, lists joined."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dict):
        if "name" in value:
            return str(value["name"])
        return "；".join(f"{key}: {_shown(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "、".join(_shown(item) for item in value)
    if isinstance(value, str) and ISO_DATE.match(value):
        # Dates and times as the interface writes them (2024年3月5日 14:30), not ISO stamps.
        if len(value) == 10:
            return f"{datetime.date.fromisoformat(value):%Y年%-m月%-d日}"
        moment = datetime.datetime.fromisoformat(value)
        return f"{moment:%Y年%-m月%-d日 %H:%M}"
    return str(value)


def _label(model: type[models.Model] | None, name: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return name


def _columns(model, rows: list[dict]) -> list[str]:
    """Field names in the rows' order; a choice's `_label` stands in for its stored value."""
    names = []
    for row in rows:
        for name in row:
            if not name.endswith("_label") and name not in names:
                names.append(name)
    return names


def _table(title: str, model, rows: list[dict]) -> Table:
    names = _columns(model, rows)
    return Table(
        title=title,
        headers=[_label(model, name) for name in names],
        rows=[[_shown(row.get(f"{name}_label", row.get(name))) for name in names] for row in rows],
    )


def _facts(title: str, model, row: dict, labels: dict | None = None) -> Table:
    """A single record as two columns, field and value; `labels` overrides a field's label."""
    labels = labels or {}
    names = _columns(model, [row])
    return Table(
        title=title,
        headers=[str(_("Field")), str(_("Value"))],
        rows=[
            [
                str(labels.get(name) or _label(model, name)),
                _shown(row.get(f"{name}_label", row.get(name))),
            ]
            for name in names
        ],
    )


def personal_data_tables(data: dict) -> list[Table]:
    """personal_data_export's copy as tables: the registry entry, the account, the change log,
    each kind of record held and the messages, in that order (the page and the XLSX)."""
    person = dict(data["person"])
    person["roles"] = data["person"].get("roles", [])
    # A person's name is 姓名 (the model's field label is the registry's generic 名称).
    own = {"name": pgettext("person", "Name"), "roles": _("Roles")}
    tables = [_facts(str(_("Registry entry")), Person, person, own)]
    if data.get("account"):
        account = dict(data["account"])
        account["role"] = account.pop("role_label", "") or account.get("role", "")
        tables.append(_facts(str(_("Account")), User, account))
    tables.append(
        Table(
            title=str(_("Registry change log")),
            headers=[str(_("Time")), str(_("Change")), str(_("Details"))],
            rows=[
                [
                    _shown(entry["timestamp"]),
                    entry["label"] or entry["action"],
                    _shown(entry["data"]),
                ]
                for entry in data["registry_history"]
            ],
        )
    )
    for key, section in data["held"].items():
        label = key.split(".")
        model = apps.get_model(label[0], label[1]) if len(label) >= 2 else None
        if len(label) == 3:  # the person is on a list of people (an exam's audience)
            tables.append(
                Table(
                    title=section["label"],
                    headers=[str(_("title"))],
                    rows=[[row["name"]] for row in section["rows"]],
                )
            )
            continue
        tables.append(_table(section["label"], model, section["rows"]))
    tables.append(_table(str(_("My messages")), Notification, data["messages"]))
    return tables

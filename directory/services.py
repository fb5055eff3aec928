"""Writes to the registry's accounts, notifications and change log: keyword-only, typed, atomic
(HackSoft style, STYLE.md)."""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.identifiers import id_number_mask, phone_mask
from directory.models import (
    Department,
    Enterprise,
    ExportLogEntry,
    Notification,
    Person,
    RegistryLogEntry,
    User,
    Village,
)


@transaction.atomic
def account_create(
    *,
    username: str,
    password: str | None,
    role: str,
    department: Department | None = None,
    village: Village | None = None,
    enterprise: Enterprise | None = None,
    person: Person | None = None,
    is_superuser: bool = False,
    by: User | None = None,
) -> User:
    """A login account for a role and its unit, optionally tied to the person it belongs to.

    `password=None` creates an account that cannot log in until a password is set. `by` is who
    did it, for the registry change log of the person (None: the system).
    """
    user = User(
        username=username,
        role=AccountRole(role),
        department=department,
        village=village,
        enterprise=enterprise,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    # The username and the role's unit constraints fail here with a message, not an IntegrityError.
    user.full_clean()
    if person is not None:
        _person_check_linkable(person=person, role=user.role, enterprise=enterprise)
    user.save()
    if person is not None:
        before = registry_state(person)
        person.account = user
        person.save(update_fields=["account", "updated_at"])
        registry_changes_log(changes=[(person, before)], user=by, source=SOURCE_SERVICE)
    return user


def _person_check_linkable(*, person: Person, role: str, enterprise: Enterprise | None) -> None:
    if person.account_id is not None:
        raise ValidationError(
            _("%(person)s already has a login account.") % {"person": person.name}
        )
    if role == AccountRole.ENTERPRISE_MANAGER and person.employer_id != getattr(
        enterprise, "pk", None
    ):
        raise ValidationError(
            _("%(person)s does not work for the enterprise this account manages.")
            % {"person": person.name}
        )


@transaction.atomic
def account_person_set(*, account: User, person: Person | None, by: User | None = None) -> None:
    """Tie an account to the registry person it belongs to (or to nobody); `by` is who did it."""
    changes = []
    for former in Person.objects.filter(account=account).exclude(pk=getattr(person, "pk", None)):
        changes.append((former, registry_state(former)))
        former.account = None
        former.save(update_fields=["account", "updated_at"])
    if person is not None and person.account_id != account.pk:
        if person.account_id is not None:
            raise ValidationError(
                _("%(person)s already has a login account.") % {"person": person.name}
            )
        changes.append((person, registry_state(person)))
        person.account = account
        person.save(update_fields=["account", "updated_at"])
    registry_changes_log(changes=changes, user=by, source=SOURCE_SERVICE)


# Notifications ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationDraft:
    """One message to be sent: who, the once-only key, and what it says."""

    recipient_id: int
    key: str
    title: str
    body: str = ""
    link: str = ""
    email_wanted: bool = True


def notifications_send(*, drafts: Iterable[NotificationDraft], batch_size: int = 1000) -> int:
    """Record the messages not sent before and queue their emails; returns how many were new.

    The unique (recipient, key) constraint makes a second run, or two workers at once, send
    nothing twice: rows that exist already are skipped by the database, not by a prior read alone.
    """
    created = 0
    drafts = list(drafts)
    for start in range(0, len(drafts), batch_size):
        batch = drafts[start : start + batch_size]
        keys = {d.key for d in batch}
        existing = set(Notification.objects.filter(key__in=keys).values_list("recipient_id", "key"))
        new = [
            Notification(
                recipient_id=d.recipient_id,
                key=d.key,
                title=d.title[:200],
                body=d.body,
                link=d.link,
                email_wanted=d.email_wanted,
            )
            for d in batch
            if (d.recipient_id, d.key) not in existing
        ]
        with transaction.atomic():
            Notification.objects.bulk_create(new, ignore_conflicts=True)
        created += len(new)
    if created:
        from directory.tasks import notification_emails_send_task

        transaction.on_commit(notification_emails_send_task.delay)
    return created


def notification_send(
    *, recipient: User, key: str, title: str, body: str = "", link: str = "", email: bool = True
) -> bool:
    """Send one message unless it was sent before under the same key; True when it is new."""
    draft = NotificationDraft(recipient.pk, key, title, body, link, email)
    return notifications_send(drafts=[draft]) == 1


def notification_mark_read(
    *, recipient: User, notification_ids: Iterable[int] | None = None
) -> int:
    """Mark the recipient's messages read (all of them when no ids are given)."""
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def notification_emails_deliver(*, batch_size: int = 200) -> int:
    """Email the messages that want it and were not emailed yet; returns how many went out.

    Each row is claimed with a row lock (skipped by other workers) and marked in the same
    transaction as the send, so two workers never email the same message.
    """
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(email_wanted=True, email_sent_at__isnull=True)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return sent
            now = timezone.now()
            for note in batch:
                address = note.recipient.email
                if address:
                    body = note.body
                    if note.link:
                        body = f"{body}\n\n{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{note.link}"
                    send_mail(note.title, body, None, [address])
                    sent += 1
                note.email_sent_at = now
            Notification.objects.bulk_update(batch, ["email_sent_at"])


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

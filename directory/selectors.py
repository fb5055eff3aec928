"""Reads of the registry, above all the one scoping rule every list, export and report goes through.

Each model has one function narrowing a queryset to what a user may see (`*_visible_to`) and one
to what the user may change (`*_editable_by`). Views never filter by hand.
"""

import datetime

from django.db.models import DateField, DateTimeField, Model, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.models import (
    Department,
    Enterprise,
    ExportJob,
    Industry,
    Notification,
    Person,
    Post,
    RegistryLogEntry,
    User,
    Village,
)
from directory.models.relations import works_for_q
from directory.rights import ARCHIVE_ROLES
from directory.scoping import (  # noqa: F401  (the scoping helpers, read from here by many apps)
    ALL,
    REGISTRY_ROLES,
    SCOPES,
    account_role,
    editable_by,
    narrow_to_unit,
    scope_register,
    visible_to,
)


def enterprises_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.all() if queryset is None else queryset
    return narrow_to_unit(
        qs, user, department="lead_department", village="village", enterprise="pk"
    )


def enterprises_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user, department="lead_department", enterprise="pk")


def people_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[Person]:
    """People of the viewer's unit; an enterprise manager sees the people who work for the
    enterprise (directory.models.relations.works_for_q): its employees, and the people attached
    to it while the attachment is in force (their numbers masked: `sees_personal_data`)."""
    qs = Person.objects.all() if queryset is None else queryset
    if account_role(user) == AccountRole.ENTERPRISE_MANAGER:
        if user.enterprise_id is None:
            return qs.none()
        return qs.filter(works_for_q(user.enterprise_id))
    return narrow_to_unit(
        qs,
        user,
        department=("employer__lead_department", "department"),
        village=("employer__village", "village"),
        enterprise="employer",
        own="account",
    )


def people_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[Person]:
    qs = Person.objects.all() if queryset is None else queryset
    return narrow_to_unit(
        qs, user, department=("employer__lead_department", "department"), enterprise="employer"
    )


def people_trainable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[Person]:
    """People a user may put on a course, a session roster or a drill's list: those the user may
    change, and for an enterprise manager also the people attached to the enterprise today
    (their registry entry stays their employer's to change)."""
    qs = Person.objects.all() if queryset is None else queryset
    if account_role(user) == AccountRole.ENTERPRISE_MANAGER:
        return people_visible_to(user, qs)
    return people_editable_by(user, qs)


def _reference_visible_to(model: type[Model]):
    def visible(user: User, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return narrow_to_unit(qs, user, department=ALL, village=ALL, enterprise=ALL)

    def editable(user: User, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return narrow_to_unit(qs, user)

    return visible, editable


# Departments, villages and industries are reference data: every registry role reads them,
# only the town office changes them.
departments_visible_to, departments_editable_by = _reference_visible_to(Department)
villages_visible_to, villages_editable_by = _reference_visible_to(Village)
industries_visible_to, industries_editable_by = _reference_visible_to(Industry)
posts_visible_to, posts_editable_by = _reference_visible_to(Post)


def departments_assignable_by(user: User) -> QuerySet[Department]:
    """Departments a user may set as an enterprise's lead or an inspector's unit."""
    return narrow_to_unit(Department.objects.all(), user, department="pk")


def export_jobs_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Each account sees only the exports it asked for (the file was masked for it)."""
    qs = ExportJob.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated:
        return qs.none()
    return qs.filter(created_by=user)


def register_registry_scopes() -> None:
    """Put the registry's own models in the scoping table (called from DirectoryConfig.ready)."""
    for model, (visible, editable) in {
        Enterprise: (enterprises_visible_to, enterprises_editable_by),
        Person: (people_visible_to, people_editable_by),
        Department: (departments_visible_to, departments_editable_by),
        Village: (villages_visible_to, villages_editable_by),
        Industry: (industries_visible_to, industries_editable_by),
        Post: (posts_visible_to, posts_editable_by),
        ExportJob: (export_jobs_visible_to, export_jobs_visible_to),
    }.items():
        scope_register(model, visible=visible, editable=editable)


def sees_personal_data(user: User, person: Person) -> bool:
    """Whole ID and phone numbers: the town office, the person's own enterprise, the person."""
    role = account_role(user)
    if role == AccountRole.TOWN_OFFICE:
        return True
    if role == AccountRole.ENTERPRISE_MANAGER and person.employer_id == user.enterprise_id:
        return True
    return person.account_id is not None and person.account_id == user.pk


def person_for_user(user: User) -> Person | None:
    """The registry entry of the logged-in person, with employer and department, or None."""
    if not user.is_authenticated:
        return None
    return (
        Person.objects.select_related(
            "employer__village",
            "employer__industry",
            "employer__lead_department",
            "department",
            "village",
        )
        .filter(account_id=user.pk)
        .first()
    )


def import_jobs_visible_to(user: User) -> QuerySet:
    """Uploads: each account sees its own; the town office sees all."""
    from directory.models import ImportJob

    return narrow_to_unit(ImportJob.objects.select_related("uploaded_by"), user, own="uploaded_by")


def notifications_for(user: User) -> QuerySet[Notification]:
    """An account's own messages, newest first; nobody reads another account's messages."""
    if not user or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def notifications_received_by_enterprise(
    enterprise: Enterprise, year: int
) -> QuerySet[Notification]:
    """Messages of `year` to the enterprise's accounts: its managers' and its people's, oldest
    first, with the recipient (一企一档 lists what the enterprise was reminded of)."""
    return (
        Notification.objects.filter(
            Q(recipient__enterprise=enterprise) | Q(recipient__person__employer=enterprise),
            created_at__year=year,
        )
        .select_related("recipient__person")
        .order_by("created_at", "pk")
    )


def notifications_unread_count(user: User) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


# The fields of a person whose changes make up their employment history (一人一档).
EMPLOYMENT_FIELDS = (
    "employer",
    "department",
    "work_post",
    "post",
    "employment_type",
    "hire_date",
    "post_since",
    "status",
)


def _employment_value(field, change: dict, key: str) -> str:
    """A logged old / new value as the reader says it: a related record by name, a choice by
    its label, a date as users in China write it (2024年3月5日)."""
    if field.is_relation:
        return change.get(f"{key}_name", "")
    value = change.get(key)
    if value in (None, ""):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, DateField) and not isinstance(field, DateTimeField):
        try:
            return date_format(datetime.date.fromisoformat(str(value)), "DATE_FORMAT")
        except ValueError:
            return value
    return str(value)


def person_employment_history(
    person: Person, *, before: datetime.datetime | None = None
) -> list[dict]:
    """Where and how the person worked, oldest first: each change of employer (or department),
    post, job title, employment type, hire date, post date or status the registry change log
    records, whether by form, import or service (one query). `before`: only the changes
    recorded before that moment (a year's archived file)."""
    sources = {"import": _("Import"), "form": _("Back office"), "service": _("System")}
    entries = RegistryLogEntry.objects.filter(
        content_type__app_label=Person._meta.app_label,
        content_type__model=Person._meta.model_name,
        object_id=str(person.pk),
    ).order_by("timestamp", "pk")
    if before is not None:
        entries = entries.filter(timestamp__lt=before)
    moves = []
    for entry in entries:
        data = entry.data or {}
        changes = data.get("changes") or {}
        for name in EMPLOYMENT_FIELDS:
            change = changes.get(name)
            if change is None:
                continue
            field = Person._meta.get_field(name)
            moves.append(
                {
                    "timestamp": entry.timestamp,
                    "field": name,
                    "label": str(field.verbose_name),
                    "from": _employment_value(field, change, "old"),
                    "to": _employment_value(field, change, "new"),
                    "source": sources.get(data.get("source"), ""),
                }
            )
    return moves


# --- archived records (directory.services.archive) ----------------------------------------------


def archived_records_visible_to(user: User, model: type) -> QuerySet:
    """The archived rows of a retained model that the user may restore, newest archive first."""
    if account_role(user) not in ARCHIVE_ROLES:
        return model.all_objects.none()
    archived = model.all_objects.filter(archived_at__isnull=False)
    return (
        visible_to(user, model, archived)
        .select_related("archived_by")
        .order_by("-archived_at", "-pk")
    )


def archivable_record_for(user: User, model: type, pk) -> Model:
    """A record of a retained model the user can see, archived or not; 404 otherwise (a record
    outside the scope is not told apart from one that does not exist)."""
    return get_object_or_404(visible_to(user, model, model.all_objects.all()), pk=pk)

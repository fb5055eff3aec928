"""Reads of the registry, above all the one scoping rule every list, export and report goes through.

Each model has one function narrowing a queryset to what a user may see (`*_visible_to`) and one
to what the user may change (`*_editable_by`). Views never filter by hand.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.models import (
    Department,
    Enterprise,
    Industry,
    Notification,
    Person,
    RegistryLogEntry,
    User,
    Village,
)

# Roles that work with the registry at all (editors and learners do not list it).
REGISTRY_ROLES = {
    AccountRole.TOWN_OFFICE,
    AccountRole.DEPARTMENT_OFFICER,
    AccountRole.VILLAGE_OFFICER,
    AccountRole.ENTERPRISE_MANAGER,
}


def account_role(user) -> str | None:
    """The role an account acts in (a superuser acts as the town office); None when anonymous."""
    if not user or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return AccountRole.TOWN_OFFICE
    return user.role


def enterprises_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.all() if queryset is None else queryset
    role = account_role(user)
    if role == AccountRole.TOWN_OFFICE:
        return qs
    if role == AccountRole.DEPARTMENT_OFFICER:
        return qs.filter(lead_department_id=user.department_id)
    if role == AccountRole.VILLAGE_OFFICER:
        return qs.filter(village_id=user.village_id)
    if role == AccountRole.ENTERPRISE_MANAGER:
        return qs.filter(pk=user.enterprise_id)
    return qs.none()


def enterprises_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.all() if queryset is None else queryset
    role = account_role(user)
    if role in (AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER):
        return enterprises_visible_to(user, qs)
    if role == AccountRole.ENTERPRISE_MANAGER:
        return qs.filter(pk=user.enterprise_id)
    return qs.none()


def people_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[Person]:
    qs = Person.objects.all() if queryset is None else queryset
    role = account_role(user)
    if role == AccountRole.TOWN_OFFICE:
        return qs
    if role == AccountRole.DEPARTMENT_OFFICER:
        return qs.filter(
            Q(employer__lead_department_id=user.department_id) | Q(department_id=user.department_id)
        )
    if role == AccountRole.VILLAGE_OFFICER:
        return qs.filter(employer__village_id=user.village_id)
    if role == AccountRole.ENTERPRISE_MANAGER:
        return qs.filter(employer_id=user.enterprise_id)
    if role is not None:
        return qs.filter(account_id=user.pk)
    return qs.none()


def people_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[Person]:
    qs = Person.objects.all() if queryset is None else queryset
    role = account_role(user)
    if role == AccountRole.TOWN_OFFICE:
        return qs
    if role == AccountRole.DEPARTMENT_OFFICER:
        return people_visible_to(user, qs)
    if role == AccountRole.ENTERPRISE_MANAGER:
        return qs.filter(employer_id=user.enterprise_id)
    return qs.none()


def _reference_visible_to(model: type[Model]):
    def visible(user: User, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return qs if account_role(user) in REGISTRY_ROLES else qs.none()

    def editable(user: User, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return qs if account_role(user) == AccountRole.TOWN_OFFICE else qs.none()

    return visible, editable


# Departments, villages and industries are reference data: every registry role reads them,
# only the town office changes them.
departments_visible_to, departments_editable_by = _reference_visible_to(Department)
villages_visible_to, villages_editable_by = _reference_visible_to(Village)
industries_visible_to, industries_editable_by = _reference_visible_to(Industry)


def departments_assignable_by(user: User) -> QuerySet[Department]:
    """Departments a user may set as an enterprise's lead or an inspector's unit."""
    role = account_role(user)
    if role == AccountRole.TOWN_OFFICE:
        return Department.objects.all()
    if role == AccountRole.DEPARTMENT_OFFICER:
        return Department.objects.filter(pk=user.department_id)
    return Department.objects.none()


SCOPES = {
    Enterprise: (enterprises_visible_to, enterprises_editable_by),
    Person: (people_visible_to, people_editable_by),
    Department: (departments_visible_to, departments_editable_by),
    Village: (villages_visible_to, villages_editable_by),
    Industry: (industries_visible_to, industries_editable_by),
}


def scope_register(model: type[Model], *, visible, editable) -> None:
    """Let another app's model be scoped through this table (its selectors follow enterprises).

    The registry's scoped back-office views and ScopedPermissionPolicy look models up here.
    """
    SCOPES[model] = (visible, editable)


def visible_to(user: User, model: type[Model], queryset: QuerySet | None = None) -> QuerySet:
    return SCOPES[model][0](user, queryset)


def editable_by(user: User, model: type[Model], queryset: QuerySet | None = None) -> QuerySet:
    return SCOPES[model][1](user, queryset)


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
            "employer__village", "employer__industry", "employer__lead_department", "department"
        )
        .filter(account_id=user.pk)
        .first()
    )


def import_jobs_visible_to(user: User) -> QuerySet:
    """Uploads: each account sees its own; the town office sees all."""
    from directory.models import ImportJob

    qs = ImportJob.objects.select_related("uploaded_by")
    role = account_role(user)
    if role == AccountRole.TOWN_OFFICE:
        return qs
    if role is None:
        return qs.none()
    return qs.filter(uploaded_by_id=user.pk)


def notifications_for(user: User) -> QuerySet[Notification]:
    """An account's own messages, newest first; nobody reads another account's messages."""
    if not user or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def notifications_unread_count(user: User) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def person_employment_history(person: Person) -> list[dict]:
    """Where the person worked, oldest first: each employer (or department) the registry change
    log records them joining or moving to, whether by form, import or service."""
    sources = {"import": _("Import"), "form": _("Back office"), "service": _("System")}
    entries = RegistryLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk)
    ).order_by("timestamp", "pk")
    moves = []
    for entry in entries:
        data = entry.data or {}
        changes = data.get("changes") or {}
        for name in ("employer", "department"):
            change = changes.get(name)
            if change is None:
                continue
            moves.append(
                {
                    "timestamp": entry.timestamp,
                    "field": name,
                    "from": change.get("old_name", ""),
                    "to": change.get("new_name", ""),
                    "source": sources.get(data.get("source"), ""),
                }
            )
    return moves

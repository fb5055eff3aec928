"""Who sees what: the one rule narrowing a queryset to the viewer's unit, and the registry of
every scoped model's selectors.

A leaf module: it imports no models, so the models (the registry change log), the permission
policies and every app's selectors can read it without import cycles. docs/scoping.md tells the
whole story.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from directory.constants import AccountRole

# Roles that work with the registry at all (editors and learners do not list it).
REGISTRY_ROLES = frozenset(
    {
        AccountRole.TOWN_OFFICE,
        AccountRole.DEPARTMENT_OFFICER,
        AccountRole.VILLAGE_OFFICER,
        AccountRole.ENTERPRISE_MANAGER,
    }
)


def account_role(user) -> str | None:
    """The role an account acts in (a superuser acts as the town office); None when anonymous."""
    if not user or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return AccountRole.TOWN_OFFICE
    return user.role


class _Every:
    """A unit given ALL sees every row (reference data every registry role reads)."""

    def __repr__(self) -> str:
        return "ALL"


ALL = _Every()

# A unit's rows: one field path compared with the viewer's unit, several paths (any matching),
# or ALL.
UnitPath = str | tuple[str, ...] | _Every | None

# The account field naming each role's unit.
_UNIT_OF_ROLE = {
    AccountRole.DEPARTMENT_OFFICER: "department_id",
    AccountRole.VILLAGE_OFFICER: "village_id",
    AccountRole.ENTERPRISE_MANAGER: "enterprise_id",
}


def narrow_to_unit(
    queryset: QuerySet,
    user,
    *,
    department: UnitPath = None,
    village: UnitPath = None,
    enterprise: UnitPath = None,
    own: str | None = None,
    shared: Q | None = None,
) -> QuerySet:
    """The rows of `queryset` within the viewer's unit.

    The town office (and a superuser) sees every row; nobody signed out sees any. A department
    officer sees the rows whose `department` path names the officer's department, a village
    officer those whose `village` path names the village, an enterprise manager those whose
    `enterprise` path names the enterprise (a path is a field path such as
    "organiser_department" or "employer__village", a tuple of paths any of which may match, or
    ALL for every row). `shared` rows (e.g. the town's own question banks, where the owner is
    empty) are added for every role given a path. A signed-in role given no path sees the rows
    whose `own` path names the account itself (a learner's own registry entry, an account's own
    uploads), or none.
    """
    role = account_role(user)
    if role == AccountRole.TOWN_OFFICE:
        return queryset
    if role is None:
        return queryset.none()
    paths = {
        AccountRole.DEPARTMENT_OFFICER: department,
        AccountRole.VILLAGE_OFFICER: village,
        AccountRole.ENTERPRISE_MANAGER: enterprise,
    }.get(role)
    if paths is None:
        return queryset.filter(**{own: user.pk}) if own else queryset.none()
    if isinstance(paths, _Every):
        return queryset
    unit_id = getattr(user, _UNIT_OF_ROLE[role])
    condition = Q()
    for path in (paths,) if isinstance(paths, str) else paths:
        condition |= Q(**{path: unit_id})
    if shared is not None:
        condition |= shared
    return queryset.filter(condition)


@dataclass(frozen=True)
class Unit:
    """The unit an account works for: the town, or one department, village or enterprise."""

    kind: str  # "town", "department", "village" or "enterprise"
    pk: int | None = None


_UNIT_KIND_OF_ROLE = {
    AccountRole.DEPARTMENT_OFFICER: "department",
    AccountRole.VILLAGE_OFFICER: "village",
    AccountRole.ENTERPRISE_MANAGER: "enterprise",
}


def unit_of(user) -> Unit | None:
    """The viewer's unit, for what is not a queryset (a dashboard's scope, a report's sender);
    None for a learner, an editor or nobody."""
    role = account_role(user)
    if role == AccountRole.TOWN_OFFICE:
        return Unit("town")
    kind = _UNIT_KIND_OF_ROLE.get(role)
    if kind is None:
        return None
    return Unit(kind, getattr(user, _UNIT_OF_ROLE[role]))


# --- the registry of scoped models ---------------------------------------------------------------

Selector = Callable[..., QuerySet]

# model -> (visible_to(user, queryset=None), editable_by(user, queryset=None)). Each app fills in
# its models when it is ready; the registry's back-office views, exports, the permission
# policies and the change log look models up here.
SCOPES: dict[type, tuple[Selector, Selector]] = {}


def scope_register(model: type, *, visible: Selector, editable: Selector) -> None:
    """Let a model be scoped through this table."""
    SCOPES[model] = (visible, editable)


def reference_scopes(model: type) -> tuple[Selector, Selector]:
    """The scoping of reference data (a table of rules or types): every back-office unit reads
    it, the town office corrects it."""

    def visible(user, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return narrow_to_unit(qs, user, department=ALL, village=ALL, enterprise=ALL)

    def editable(user, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return narrow_to_unit(qs, user)

    return visible, editable


def visible_to(user, model: type, queryset: QuerySet | None = None) -> QuerySet:
    return SCOPES[model][0](user, queryset)


def editable_by(user, model: type, queryset: QuerySet | None = None) -> QuerySet:
    return SCOPES[model][1](user, queryset)

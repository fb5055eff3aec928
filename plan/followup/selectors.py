"""Reads of the follow-up: who sees which orders, talks and bulletins, and what waits on whom."""

from django.db.models import QuerySet

from directory.models import User
from directory.scoping import ALL, narrow_to_unit, scope_register
from plan.followup.models import UNIT_TO_ACT, Bulletin, FollowUpOrder, FollowUpStatus, Talk


def orders_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[FollowUpOrder]:
    """The town office sees every order; a department or village the orders sent to it."""
    qs = FollowUpOrder.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user, department="department", village="village")


def orders_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[FollowUpOrder]:
    """The unit acts on its own orders, the town office on all (state checks in the services)."""
    return orders_visible_to(user, queryset)


def orders_awaiting_unit(user: User) -> QuerySet[FollowUpOrder]:
    """Orders still to be acknowledged or answered: a unit's officer sees its own (the town
    office, which has no such line on its home, would see every unit's)."""
    qs = FollowUpOrder.objects.filter(status__in=UNIT_TO_ACT)
    return narrow_to_unit(qs, user, department="department", village="village")


def orders_awaiting_closure(user: User) -> QuerySet[FollowUpOrder]:
    """Answered orders the town office has still to close or send back."""
    qs = FollowUpOrder.objects.filter(status=FollowUpStatus.ANSWERED)
    return narrow_to_unit(qs, user)


def talks_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[Talk]:
    """The town office sees every talk; a unit the talks held with it."""
    qs = Talk.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user, department="department", village="village")


def talks_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[Talk]:
    qs = Talk.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user)


def bulletins_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet[Bulletin]:
    """A bulletin goes to every member unit: the town office and every department and village
    read all of them (enterprises and learners none)."""
    qs = Bulletin.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user, department=ALL, village=ALL)


def bulletins_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet[Bulletin]:
    qs = Bulletin.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user)


def scopes_register() -> None:
    scope_register(FollowUpOrder, visible=orders_visible_to, editable=orders_editable_by)
    scope_register(Talk, visible=talks_visible_to, editable=talks_editable_by)
    scope_register(Bulletin, visible=bulletins_visible_to, editable=bulletins_editable_by)

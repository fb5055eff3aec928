"""Reads of the expert pool: scoped like the people they are (by the managing department), and
each member's inspections taken part in, counted in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from directory.constants import PersonStatus
from directory.models import PoolInspection, PoolMember, User
from directory.models.pool import in_service_q
from directory.scoping import narrow_to_unit


def pool_members_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    qs = PoolMember.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user, department="person__department")


def pool_members_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet:
    # Only the town office keeps the pool (it hires the technical inspectors).
    qs = PoolMember.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user)


def pool_inspections_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    qs = PoolInspection.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user, department="member__person__department")


def pool_inspections_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet:
    qs = PoolInspection.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user)


def pool_in_service_q(prefix: str = "", on: datetime.date | None = None) -> Q:
    """For a person queryset (prefix ""): in post and a pool member in service on the day."""
    return Q(**{f"{prefix}status": PersonStatus.ACTIVE}) & in_service_q(
        f"{prefix}pool_membership__", on
    )


@dataclass(frozen=True)
class PoolRow:
    member: PoolMember
    inspections: int


def pool_register_rows(*, user: User, year: int, queryset: QuerySet | None = None) -> list[PoolRow]:
    """Each visible member with the inspections taken part in during `year` (sessions attended
    are the sessions' own record: the inspectors' training list counts pool members in
    service). Two queries whatever the pool's size."""
    members = list(
        pool_members_visible_to(user, queryset)
        .select_related("person__department")
        .order_by("kind", "person__name", "pk")
    )
    inspected = dict(
        PoolInspection.objects.filter(member__in=members, inspected_on__year=year)
        .order_by()
        .values_list("member_id")
        .annotate(n=Count("pk"))
    )
    return [PoolRow(m, inspected.get(m.pk, 0)) for m in members]

"""Reads of related units and attachments: scoped by the host enterprise (and, for reading, by
the related unit or the person's employer too), and an enterprise's lists for its detail pages."""

import datetime

from django.db.models import QuerySet

from directory.models import Attachment, Enterprise, EnterpriseRelation, User
from directory.models.relations import current_q
from directory.scoping import narrow_to_unit


def relations_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    qs = EnterpriseRelation.objects.all() if queryset is None else queryset
    return narrow_to_unit(
        qs,
        user,
        department=("host__lead_department", "unit__lead_department"),
        village=("host__village", "unit__village"),
        enterprise=("host", "unit"),
    )


def relations_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """The host enterprise keeps its related units (and its lead department, the town office)."""
    qs = EnterpriseRelation.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user, department="host__lead_department", enterprise="host")


def attachments_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    qs = Attachment.objects.all() if queryset is None else queryset
    return narrow_to_unit(
        qs,
        user,
        department=("host__lead_department", "person__employer__lead_department"),
        village=("host__village", "person__employer__village"),
        enterprise=("host", "person__employer"),
    )


def attachments_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet:
    qs = Attachment.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user, department="host__lead_department", enterprise="host")


def enterprise_relations(
    enterprise: Enterprise, *, on: datetime.date | None = None, current: bool = True
) -> dict[str, list[EnterpriseRelation]]:
    """The enterprise's relations both ways: its related units ("units") and the hosts it works
    for ("hosts"); with `current`, only those in force on the day. Two queries."""
    units = EnterpriseRelation.objects.filter(host=enterprise).select_related("unit")
    hosts = EnterpriseRelation.objects.filter(unit=enterprise).select_related("host")
    if current:
        units, hosts = units.filter(current_q(on=on)), hosts.filter(current_q(on=on))
    return {
        "units": list(units.order_by("kind", "unit__name", "pk")),
        "hosts": list(hosts.order_by("kind", "host__name", "pk")),
    }


def enterprise_attachments(
    enterprise: Enterprise, *, on: datetime.date | None = None, current: bool = True
) -> QuerySet:
    """The people attached to the enterprise as host (in force on the day with `current`), with
    their employer and the relation they come through."""
    rows = Attachment.objects.filter(host=enterprise).select_related(
        "person__employer", "relation__unit"
    )
    if current:
        rows = rows.filter(current_q(on=on))
    return rows.order_by("person__name", "pk")

"""Reads of offline sessions: who sees and runs which session, and whose attendance.

Organisers (the town office for district sessions, a department, an enterprise) run their own
sessions; the officers and enterprises whose people are invited see those sessions too, read-only,
and only the roster rows of their own people.
"""

import datetime

from django.db.models import Q, QuerySet

from directory.constants import AccountRole
from directory.models import Person, User
from directory.scoping import REGISTRY_ROLES, account_role, narrow_to_unit
from directory.selectors import people_visible_to
from training.sessions.models.sessions import ATTENDED, Attendance, TrainingSession


def sessions_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet:
    qs = TrainingSession.objects.all() if queryset is None else queryset
    return narrow_to_unit(
        qs, user, department="organiser_department", enterprise="organiser_enterprise"
    )


def sessions_to_confirm(user: User, now: datetime.datetime) -> QuerySet:
    """Sessions the user runs that have ended without their attendance confirmed (no hours are
    credited until the organiser confirms)."""
    return sessions_editable_by(user).filter(ends_at__lt=now, confirmed_at__isnull=True)


def sessions_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Sessions the user organises, plus those inviting people in the user's responsibility."""
    qs = TrainingSession.objects.all() if queryset is None else queryset
    role = account_role(user)
    if role == AccountRole.TOWN_OFFICE:
        return qs
    if role not in REGISTRY_ROLES:
        return qs.none()
    inviting = Attendance.objects.filter(
        person__in=people_visible_to(user).order_by().values("pk")
    ).values("session_id")
    organised = sessions_editable_by(user).values("pk")
    return qs.filter(Q(pk__in=organised) | Q(pk__in=inviting))


def attendance_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet:
    qs = Attendance.objects.all() if queryset is None else queryset
    return qs.filter(session__in=sessions_editable_by(user).values("pk"))


def attendance_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """The organiser's whole roster; to others the rows of the people they look after."""
    qs = Attendance.objects.all() if queryset is None else queryset
    if account_role(user) not in REGISTRY_ROLES:
        return qs.none()
    return qs.filter(
        Q(session__in=sessions_editable_by(user).values("pk"))
        | Q(person__in=people_visible_to(user).order_by().values("pk"))
    )


def session_scopes() -> dict:
    return {
        TrainingSession: (sessions_visible_to, sessions_editable_by),
        Attendance: (attendance_visible_to, attendance_editable_by),
    }


def register_session_scopes() -> None:
    from wagtail.permissions import register_permission_policy

    from directory.permissions import ScopedPermissionPolicy
    from directory.scoping import scope_register

    for model, (visible, editable) in session_scopes().items():
        scope_register(model, visible=visible, editable=editable)
        register_permission_policy(model, ScopedPermissionPolicy(model))


# --- the learner's side --------------------------------------------------------------------


def sessions_of_person(person: Person) -> QuerySet[Attendance]:
    """A person's roster rows with their sessions, newest session first."""
    return (
        Attendance.objects.filter(person=person)
        .select_related("session")
        .order_by("-session__starts_at")
    )


def sessions_attended_by(person: Person) -> QuerySet[Attendance]:
    """The sessions a person attended (present or late), oldest first, with how they signed in
    (一人一档)."""
    return (
        Attendance.objects.filter(person=person, status__in=ATTENDED)
        .select_related("session")
        .order_by("session__starts_at", "pk")
    )


def sessions_attended_by_people(people: QuerySet[Person], year: int) -> QuerySet[Attendance]:
    """Attendance (present or late) of `people` at sessions that started in `year`, oldest
    session first, names in order within a session (一企一档)."""
    return (
        Attendance.objects.filter(
            person__in=people.order_by().values("pk"),
            status__in=ATTENDED,
            session__starts_at__year=year,
        )
        .select_related("session", "person")
        .order_by("session__starts_at", "session_id", "person__name", "pk")
    )


def roster(session: TrainingSession) -> QuerySet[Attendance]:
    return session.attendances.select_related("person", "person__employer", "marked_by").order_by(
        "person__name", "pk"
    )

"""What offline sessions feed: principal coverage, criteria study by member units, inspectors.

Each read is scoped (enterprises / people / sessions visible to the user) and runs in a fixed
number of queries whatever the number of enterprises or people.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth, Least, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.constants import EnterpriseStatus, PersonStatus, RiskClass
from directory.models import Department, Enterprise, Person, User
from directory.pool.selectors import pool_in_service_q
from directory.selectors import enterprises_visible_to, people_visible_to
from training.exams.selectors.results import assessment_passed_in
from training.sessions.models.sessions import ATTENDED, Attendance, SessionKind, TrainingSession
from training.sessions.selectors.scoping import sessions_visible_to

# Key industries (重点行业): those with their own training rules (regulations.md §2), and the
# enterprises the town plan singles out (fire-safety key units, hazardous chemicals, crowded places).
KEY_ENTERPRISE = (
    ~Q(industry__risk_class=RiskClass.GENERAL)
    | Q(is_fire_key_unit=True)
    | Q(handles_hazardous_chemicals=True)
    | Q(is_crowded_place=True)
)


def attended_in(*, kind: str, year: int) -> QuerySet:
    """Attendance that counts: present or late at a session of `kind` that started in `year`
    and has started by now (a mark on a session still to come, which the organiser's hand
    marking allows, covers nobody yet: every figure and list of the year reads this one rule)."""
    return Attendance.objects.filter(
        session__kind=kind,
        session__starts_at__year=year,
        session__starts_at__lte=timezone.now(),
        status__in=ATTENDED,
    )


def _first_month(queryset: QuerySet, person_ref: str, field: str) -> Subquery:
    """The month of the earliest `field` of `queryset` for the outer row's person, or NULL."""
    return Subquery(
        queryset.filter(person_id=OuterRef(person_ref))
        .order_by(field)
        .annotate(month=ExtractMonth(field))
        .values("month")[:1],
        output_field=IntegerField(),
    )


NEVER = 13  # a month after December: "not in this year" inside LEAST()


def principal_covered_month(*, year: int, principal_ref: str = "principal_id"):
    """For an enterprise queryset: the month of `year` its current principal attended a
    principals' training or passed the assessment, whichever came first; NULL if neither.
    (LEAST ignores NULLs on PostgreSQL but not on SQLite: hence the COALESCE to 13.)"""
    attended = _first_month(
        attended_in(kind=SessionKind.PRINCIPAL, year=year), principal_ref, "session__starts_at"
    )
    passed = _first_month(assessment_passed_in(year=year), principal_ref, "submitted_at")
    return NullIf(
        Least(Coalesce(attended, Value(NEVER)), Coalesce(passed, Value(NEVER))),
        Value(NEVER),
        output_field=IntegerField(),
    )


def inspector_attended_month(*, year: int, person_ref: str = "pk"):
    """For a person queryset: the month of `year` they first attended the centralized training."""
    return _first_month(
        attended_in(kind=SessionKind.INSPECTORS, year=year), person_ref, "session__starts_at"
    )


def key_enterprises() -> QuerySet:
    """Active key-industry enterprises (the principal coverage's denominator)."""
    return Enterprise.objects.filter(KEY_ENTERPRISE, status=EnterpriseStatus.ACTIVE)


def inspectors_in_post() -> QuerySet:
    """Who owes the inspectors' yearly centralized training (plan items 12, 26): the town's
    inspectors in post, the pool's experts and the technical inspectors within their contract
    (directory.pool) — one population for the metric, its lists and its reminders."""
    return Person.objects.filter(
        Q(is_inspector=True, status=PersonStatus.ACTIVE) | pool_in_service_q()
    )


def member_units() -> QuerySet:
    """The town's member units (成员单位): every department but the town safety office itself."""
    return Department.objects.filter(is_town_office=False)


def criteria_sessions_held(*, year: int, deadline: datetime.date) -> QuerySet:
    """Criteria study sessions a member unit organised in `year` by the deadline that have
    taken place (started by now: a planned session is not yet held)."""
    return TrainingSession.objects.filter(
        kind=SessionKind.CRITERIA,
        organiser_department__in=member_units(),
        starts_at__year=year,
        starts_at__date__lte=deadline,
        starts_at__lte=timezone.now(),
    )


class CoveredBy:
    ATTENDANCE = "attendance"
    ASSESSMENT = "assessment"


@dataclass(frozen=True)
class PrincipalRow:
    enterprise: Enterprise
    principal: Person | None
    attended_on: datetime.datetime | None
    passed_on: datetime.datetime | None = None

    @property
    def covered(self) -> bool:
        return self.attended_on is not None or self.passed_on is not None

    @property
    def covered_by(self) -> str | None:
        """Attendance first (it is what the plan asks); the assessment otherwise."""
        if self.attended_on is not None:
            return CoveredBy.ATTENDANCE
        if self.passed_on is not None:
            return CoveredBy.ASSESSMENT
        return None

    @property
    def covered_label(self) -> str:
        if self.attended_on is not None:
            return _("Attended the training on %(date)s") % {
                "date": f"{timezone.localtime(self.attended_on):%Y年%-m月%-d日}"
            }
        if self.passed_on is not None:
            return _("Passed the assessment on %(date)s") % {
                "date": f"{timezone.localtime(self.passed_on):%Y年%-m月%-d日}"
            }
        return ""


def _earliest(rows) -> dict[int, datetime.datetime]:
    earliest: dict[int, datetime.datetime] = {}
    for person_id, when in rows:
        earliest[person_id] = min(when, earliest.get(person_id, when))
    return earliest


def principal_coverage_enterprises(*, user: User, year: int) -> QuerySet:
    """Each visible active key-industry enterprise with its current principal, annotated with the
    earliest attendance at a principals' special training in `year` (`attended_on`) and the
    earliest assessment passed that year (`passed_on`), missing first, then by name: the list
    is paged and counted in the database."""
    attended = (
        attended_in(kind=SessionKind.PRINCIPAL, year=year)
        .filter(person_id=OuterRef("principal_id"))
        .order_by("session__starts_at")
        .values("session__starts_at")[:1]
    )
    passed = (
        assessment_passed_in(year=year)
        .filter(person_id=OuterRef("principal_id"))
        .order_by("submitted_at")
        .values("submitted_at")[:1]
    )
    # Covered tested against the year's two sets of people (hashed once by PostgreSQL), not
    # through the two dates: those are read for the rows shown only, after the sort and the page.
    covered = Q(
        principal_id__in=attended_in(kind=SessionKind.PRINCIPAL, year=year).values("person_id")
    ) | Q(principal_id__in=assessment_passed_in(year=year).values("person_id"))
    return (
        enterprises_visible_to(user, key_enterprises())
        .select_related("principal", "industry")
        .annotate(attended_on=Subquery(attended), passed_on=Subquery(passed))
        .annotate(
            covered=Case(
                When(covered, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("covered", "name", "pk")
    )


def principal_rows(enterprises) -> Iterator[PrincipalRow]:
    """The rows of `principal_coverage_enterprises` (or a page of them), as they are read."""
    return (PrincipalRow(e, e.principal, e.attended_on, e.passed_on) for e in enterprises)


def principal_coverage(*, user: User, year: int) -> list[PrincipalRow]:
    """Each visible active key-industry enterprise, its current principal and whether they attended
    a principals' special training in `year` or passed the assessment that year (missing first).
    One query."""
    return list(principal_rows(principal_coverage_enterprises(user=user, year=year)))


def next_session(*, user: User, kind: str, after: datetime.datetime) -> TrainingSession | None:
    """The next session of a kind the user runs and may still invite people to."""
    from training.sessions.selectors.scoping import sessions_editable_by

    return (
        sessions_editable_by(user)
        .filter(kind=kind, starts_at__gt=after, confirmed_at__isnull=True)
        .order_by("starts_at")
        .first()
    )


@dataclass(frozen=True)
class CriteriaRow:
    department: Department
    sessions: list[TrainingSession]
    attendees: list[str]

    @property
    def held(self) -> bool:
        return bool(self.sessions)


def criteria_study(*, user: User, year: int, deadline: datetime.date) -> list[CriteriaRow]:
    """Per member unit: its criteria study sessions of `year` held by the deadline, who attended."""
    held = criteria_sessions_held(year=year, deadline=deadline)
    sessions = list(sessions_visible_to(user, held).order_by("starts_at"))
    names: dict[int, list[str]] = {}
    for session_id, name in (
        Attendance.objects.filter(session__in=sessions, status__in=ATTENDED)
        .order_by("person__name")
        .values_list("session_id", "person__name")
    ):
        names.setdefault(session_id, []).append(name)
    by_unit: dict[int, list[TrainingSession]] = {}
    for session in sessions:
        by_unit.setdefault(session.organiser_department_id, []).append(session)
    return [
        CriteriaRow(
            department=unit,
            sessions=by_unit.get(unit.pk, []),
            attendees=[n for s in by_unit.get(unit.pk, []) for n in names.get(s.pk, [])],
        )
        for unit in member_units().order_by("name")
    ]


@dataclass(frozen=True)
class InspectorRow:
    person: Person
    attended_on: datetime.datetime | None


def inspectors_training(*, user: User, year: int) -> list[InspectorRow]:
    """Each visible in-post inspector and whether they attended the centralized training."""
    inspectors = list(
        people_visible_to(user, inspectors_in_post()).select_related("department").order_by("name")
    )
    attended = dict(
        attended_in(kind=SessionKind.INSPECTORS, year=year)
        .filter(person__in=[p.pk for p in inspectors])
        .values_list("person_id", "session__starts_at")
    )
    rows = [InspectorRow(p, attended.get(p.pk)) for p in inspectors]
    return sorted(rows, key=lambda row: (row.attended_on is not None, row.person.name))

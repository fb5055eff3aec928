"""What offline sessions feed: principal coverage, criteria study by member units, inspectors.

Each read is scoped (enterprises / people / sessions visible to the user) and runs in a fixed
number of queries whatever the number of enterprises or people.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from directory.constants import EnterpriseStatus, PersonStatus, RiskClass
from directory.models import Department, Enterprise, Person, User
from directory.selectors import enterprises_visible_to, people_visible_to
from training.models import ATTENDED, Attendance, SessionKind, TrainingSession
from training.selectors_sessions import sessions_visible_to

# Key industries (重点行业): those with their own training rules (regulations.md §2), and the
# enterprises the town plan singles out (fire-safety key units, hazardous chemicals, crowded places).
KEY_ENTERPRISE = (
    ~Q(industry__risk_class=RiskClass.GENERAL)
    | Q(is_fire_key_unit=True)
    | Q(handles_hazardous_chemicals=True)
    | Q(is_crowded_place=True)
)


def _attended(kind: str, year: int):
    return Attendance.objects.filter(
        session__kind=kind, session__starts_at__year=year, status__in=ATTENDED
    )


@dataclass(frozen=True)
class PrincipalRow:
    enterprise: Enterprise
    principal: Person | None
    attended_on: datetime.datetime | None

    @property
    def covered(self) -> bool:
        return self.attended_on is not None


def principal_coverage(*, user: User, year: int) -> list[PrincipalRow]:
    """Each visible active key-industry enterprise, its current principal and whether they attended
    a principals' special training in `year` (missing first). Three queries."""
    enterprises = list(
        enterprises_visible_to(user)
        .filter(KEY_ENTERPRISE, status=EnterpriseStatus.ACTIVE)
        .select_related("principal", "industry")
        .order_by("name")
    )
    principal_ids = [e.principal_id for e in enterprises if e.principal_id]
    attended = {}
    rows = _attended(SessionKind.PRINCIPAL, year).filter(person_id__in=principal_ids)
    for person_id, starts in rows.values_list("person_id", "session__starts_at"):
        attended[person_id] = min(starts, attended.get(person_id, starts))
    result = [PrincipalRow(e, e.principal, attended.get(e.principal_id)) for e in enterprises]
    return sorted(result, key=lambda row: (row.covered, row.enterprise.name))


def next_session(*, user: User, kind: str, after: datetime.datetime) -> TrainingSession | None:
    """The next session of a kind the user runs and may still invite people to."""
    from training.selectors_sessions import sessions_editable_by

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
    sessions = list(
        sessions_visible_to(user)
        .filter(
            kind=SessionKind.CRITERIA,
            organiser_department__isnull=False,
            starts_at__year=year,
            starts_at__date__lte=deadline,
        )
        .order_by("starts_at")
    )
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
        for unit in Department.objects.order_by("name")
    ]


@dataclass(frozen=True)
class InspectorRow:
    person: Person
    attended_on: datetime.datetime | None


def inspectors_training(*, user: User, year: int) -> list[InspectorRow]:
    """Each visible in-post inspector and whether they attended the centralized training."""
    inspectors = list(
        people_visible_to(user)
        .filter(is_inspector=True, status=PersonStatus.ACTIVE)
        .select_related("department")
        .order_by("name")
    )
    attended = dict(
        _attended(SessionKind.INSPECTORS, year)
        .filter(person__in=[p.pk for p in inspectors])
        .values_list("person_id", "session__starts_at")
    )
    rows = [InspectorRow(p, attended.get(p.pk)) for p in inspectors]
    return sorted(rows, key=lambda row: (row.attended_on is not None, row.person.name))

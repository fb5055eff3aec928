"""一企一档: one enterprise's file for a year, every section read through the selectors of the
apps that own it. At most 24 queries whatever the number of people (docs/dossiers.md): the
roster's hours are summed per person in SQL and judged by the same rules as every other
requirement figure (`training.learning.selectors.records.enterprise_statuses`).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.selectors.issued import issued_certificates_for_people
from certificates.selectors.registry import CertificationRow, certification_roster
from directory.constants import AccountRole, PersonStatus
from directory.exports import Masking
from directory.models import Enterprise, Notification, Person, User
from directory.models.relations import works_for_q
from directory.scoping import account_role
from directory.selectors import (
    enterprises_visible_to,
    notifications_received_by_enterprise,
    people_visible_to,
)
from dossiers.person.selectors import RETENTION_YEARS
from training.drills.models.corrective_actions import ActionStatus
from training.drills.rules import HALF_YEARLY
from training.drills.selectors.obligations import (
    COUNTING_STATUSES,
    DutyState,
    ObligationStatus,
    drill_obligation_status,
)
from training.drills.selectors.records import enterprise_drill_records
from training.exams.selectors.results import assessment_passed_in
from training.learning.selectors.manager_training import ManagerTrainingGap, manager_training_gaps
from training.learning.selectors.records import enterprise_statuses
from training.learning.selectors.requirements import (
    INITIAL_MISSING,
    MET,
    NOT_DUE,
    SHORT,
    STATUS_LABELS,
    RequirementStatus,
)
from training.sessions.models.sessions import SessionKind
from training.sessions.selectors.feeds import attended_in
from training.sessions.selectors.scoping import sessions_attended_by_people

# A reminder sent to many of the enterprise's accounts names this many of them, then "等 N 人".
RECIPIENTS_NAMED = 10


def dossier_enterprises_visible_to(user: User) -> QuerySet[Enterprise]:
    """Whose file a user may open: a manager their own enterprise, a village officer the
    village's, a department officer those it leads, the town office all, anyone else none (the
    registry's one rule), with what the registry section shows."""
    return enterprises_visible_to(user).select_related(
        "village", "industry", "lead_department", "principal"
    )


def sees_enterprise_whole(user: User, enterprise: Enterprise) -> bool:
    """The enterprise's people's numbers whole: the town office and the enterprise's own
    manager (as directory.selectors.sees_personal_data for each of its people)."""
    role = account_role(user)
    if role == AccountRole.TOWN_OFFICE:
        return True
    return role == AccountRole.ENTERPRISE_MANAGER and user.enterprise_id == enterprise.pk


def dossier_years(today: datetime.date) -> list[int]:
    """The years a file may be asked for: this one and those within the retention period
    (regulations.md §7), newest first."""
    return list(range(today.year, today.year - RETENTION_YEARS, -1))


def judged_on(year: int, today: datetime.date) -> datetime.date:
    """The day a year's certificates and initial-training deadlines are judged: today for this
    year, 31 December for a past one. (Drill duties are judged today: a past year's deadlines
    have passed, as on the obligation list.)"""
    return min(today, datetime.date(year, 12, 31))


@dataclass
class ManagerRow:
    """The principal or a safety manager: the year's requirement, the initial training owed
    within months of taking the post, the principals' training, the assessment and the
    management certificate."""

    person: Person
    id_number: str
    phone: str
    requirement: RequirementStatus | None
    initial_gap: ManagerTrainingGap | None
    principal_training_on: datetime.datetime | None
    assessment_passed_on: datetime.datetime | None
    certification: CertificationRow | None
    # Flagged a principal in the registry, or named the enterprise's principal.
    principal: bool = False

    @property
    def roles(self) -> str:
        return "、".join(self.person.role_labels)

    @property
    def requirement_label(self) -> str:
        if self.requirement is None:
            return "—"
        return f"{self.requirement.credited} / {self.requirement.required} · {self.requirement.status_label}"

    @property
    def initial_label(self) -> str:
        return self.initial_gap.state_label if self.initial_gap else "—"

    @property
    def assessment_label(self) -> str:
        parts = []
        if self.assessment_passed_on is not None:
            parts.append(
                _("Passed the assessment on %(date)s") % {"date": _day(self.assessment_passed_on)}
            )
        if self.certification is not None:
            for gap in self.certification.gaps:
                parts.append(f"{gap.needs_label}：{gap.state_label}")
            for card in self.certification.certificates:
                parts.append(f"{card.certificate_type.name} {card.number} {card.status_label}")
        return "；".join(parts) or "—"

    @property
    def principal_training_label(self) -> str:
        if not self.principal:
            return "—"
        if self.principal_training_on is None:
            return _("Not attended")
        return _("Attended the training on %(date)s") % {"date": _day(self.principal_training_on)}


def _day(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y年%-m月%-d日}"


@dataclass
class DutyRow:
    """One drill duty of the year: its state and the counted records that met it."""

    state: DutyState
    dates: list[datetime.date]

    @property
    def how_often(self) -> str:
        return _("Each half year") if self.state.per_year == HALF_YEARLY else _("Yearly")


@dataclass
class SessionRow:
    """One offline session of the year and the enterprise's people who attended it."""

    starts_at: datetime.datetime
    title: str
    place: str
    kind: str
    names: list[str]

    @property
    def kind_label(self) -> str:
        return str(SessionKind(self.kind).label)


@dataclass
class ReminderRow:
    """One reminder (by title) the enterprise's accounts received in the year."""

    title: str
    first_sent: datetime.datetime
    last_sent: datetime.datetime
    recipients: list[str]
    read: int

    @property
    def recipients_label(self) -> str:
        named = "、".join(self.recipients[:RECIPIENTS_NAMED])
        if len(self.recipients) > RECIPIENTS_NAMED:
            return _("%(names)s and others, %(count)s in all") % {
                "names": named,
                "count": len(self.recipients),
            }
        return named


@dataclass
class EnterpriseDossier:
    """One enterprise's file for a year: registry, managers, roster, 持证上岗, drills, sessions,
    certificates issued and reminders, each section in date (or name) order."""

    enterprise: Enterprise
    year: int
    today: datetime.date
    judged_on: datetime.date
    principal_id_number: str
    principal_phone: str
    managers: list[ManagerRow]
    roster: list[RequirementStatus]
    certification: list[CertificationRow]
    obligation: ObligationStatus | None
    duties: list[DutyRow]
    drills: list
    sessions: list[SessionRow]
    issued: list
    reminders: list[ReminderRow]
    years: list[int] = field(default_factory=list)

    @property
    def roster_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, people) for each requirement status, worst first."""
        counts = Counter(row.status for row in self.roster)
        return [
            (status, str(STATUS_LABELS[status]), counts[status])
            for status in (INITIAL_MISSING, SHORT, MET, NOT_DUE)
        ]

    @property
    def hours_total(self):
        return sum((row.credited for row in self.roster), 0)

    @property
    def certification_gaps(self) -> int:
        return sum(1 for row in self.certification if row.gaps)

    @property
    def open_actions(self) -> int:
        return sum(
            1
            for record in self.drills
            for a in record.corrective_actions.all()
            if a.status == ActionStatus.OPEN
        )


def _managers(
    *,
    enterprise: Enterprise,
    viewer: User,
    people: QuerySet[Person],
    year: int,
    as_of: datetime.date,
    masking: Masking,
    statuses: dict[int, RequirementStatus],
    certification: dict[int, CertificationRow],
) -> list[ManagerRow]:
    managers = list(
        people.filter(
            Q(is_principal=True) | Q(is_safety_manager=True) | Q(pk=enterprise.principal_id),
            status=PersonStatus.ACTIVE,
        ).order_by("-is_principal", "name", "pk")
    )
    ids = [person.pk for person in managers]
    gaps = (
        {
            gap.person.pk: gap
            for gap in manager_training_gaps(
                user=viewer, today=as_of, people=people.filter(pk__in=ids)
            )
        }
        if ids
        else {}
    )
    trained = (
        dict(
            attended_in(kind=SessionKind.PRINCIPAL, year=year)
            .filter(person_id__in=ids)
            .order_by("-session__starts_at")
            .values_list("person_id", "session__starts_at")
        )
        if ids
        else {}
    )
    passed = (
        dict(
            assessment_passed_in(year=year)
            .filter(person_id__in=ids)
            .order_by("-submitted_at")
            .values_list("person_id", "submitted_at")
        )
        if ids
        else {}
    )
    return [
        ManagerRow(
            person=person,
            id_number=masking.id_number(person),
            phone=masking.phone(person),
            requirement=statuses.get(person.pk),
            initial_gap=gaps.get(person.pk),
            principal_training_on=trained.get(person.pk),
            assessment_passed_on=passed.get(person.pk),
            certification=certification.get(person.pk),
            principal=person.is_principal or person.pk == enterprise.principal_id,
        )
        for person in managers
    ]


def _duties(
    obligation: ObligationStatus | None, drills: list, as_of: datetime.date
) -> list[DutyRow]:
    if obligation is None:
        return []
    counted = [r for r in drills if r.review_status in COUNTING_STATUSES and r.date <= as_of]
    return [
        DutyRow(state, [r.date for r in counted if code in r.duties])
        for code, state in obligation.duties.items()
    ]


def _sessions(attendances) -> list[SessionRow]:
    """Attendance grouped by session, read as plain values (thousands of rows for a large
    enterprise: no model instances)."""
    rows: dict[int, SessionRow] = {}
    for session_id, starts_at, title, place, kind, name in attendances.values_list(
        "session_id",
        "session__starts_at",
        "session__title",
        "session__place",
        "session__kind",
        "person__name",
    ):
        row = rows.get(session_id)
        if row is None:
            row = rows[session_id] = SessionRow(starts_at, title, place, kind, [])
        row.names.append(name)
    return list(rows.values())


def _recipient(notification: Notification) -> str:
    user = notification.recipient
    person = getattr(user, "person", None)
    return person.name if person is not None else (user.get_full_name() or user.username)


def _reminders(notifications) -> list[ReminderRow]:
    rows: dict[str, ReminderRow] = {}
    for notification in notifications:
        row = rows.get(notification.title)
        if row is None:
            row = rows[notification.title] = ReminderRow(
                notification.title, notification.created_at, notification.created_at, [], 0
            )
        row.last_sent = notification.created_at
        row.recipients.append(_recipient(notification))
        row.read += notification.read_at is not None
    return list(rows.values())


def enterprise_dossier(
    *,
    enterprise: Enterprise,
    viewer: User,
    year: int,
    today: datetime.date,
    masking: Masking | None = None,
) -> EnterpriseDossier:
    """The file of an enterprise read through `dossier_enterprises_visible_to(viewer)`, for
    `year` (judged as of today, or 31 December for a past year); ID and phone numbers as
    `masking` (default: the viewer's) allows."""
    masking = masking or Masking(viewer)
    as_of = judged_on(year, today)
    # Employees and the people attached to the enterprise (directory.models.relations).
    people = people_visible_to(viewer).filter(works_for_q(enterprise.pk))
    roster = enterprise_statuses(enterprise=enterprise, year=year, today=today)
    statuses = {row.person_id: row for row in roster}
    certification = certification_roster(user=viewer, people=people, today=as_of)
    by_person = {row.person.pk: row for row in certification}
    managers = _managers(
        enterprise=enterprise,
        viewer=viewer,
        people=people,
        year=year,
        as_of=as_of,
        masking=masking,
        statuses=statuses,
        certification=by_person,
    )
    obligations = drill_obligation_status(
        enterprises=enterprises_visible_to(viewer).filter(pk=enterprise.pk), year=year, today=today
    )
    obligation = obligations[0] if obligations else None
    drills = list(enterprise_drill_records(enterprise, year))
    principal = enterprise.principal
    return EnterpriseDossier(
        enterprise=enterprise,
        year=year,
        today=today,
        judged_on=as_of,
        principal_id_number=masking.id_number(principal) if principal else "",
        principal_phone=masking.phone(principal) if principal else "",
        managers=managers,
        roster=roster,
        certification=certification,
        obligation=obligation,
        duties=_duties(obligation, drills, today),
        drills=drills,
        sessions=_sessions(sessions_attended_by_people(people, year)),
        issued=list(issued_certificates_for_people(people, year)),
        reminders=_reminders(notifications_received_by_enterprise(enterprise, year)),
        years=dossier_years(today),
    )

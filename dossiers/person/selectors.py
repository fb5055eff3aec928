"""一人一档: everything the platform holds on one person, each section in date order, read through
the selectors of the apps that own it. Ten queries whatever the length of the file: the person
(by the caller), the requirement table, the ledger, the registry change log, attendance, drills
taken part in, attempts, registered certificates and their reviews, issued certificates.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.timezone import localdate

from certificates.rules import CertificateStatus
from certificates.selectors.issued import issued_certificates_for_person
from certificates.selectors.registry import registered_certificates_with_reviews
from directory.exports import Masking
from directory.models import Person, User
from directory.selectors import people_visible_to, person_employment_history
from training.drills.selectors.participants import drills_participated_by
from training.exams.selectors.results import attempts_of_person
from training.learning.selectors.ledger import ledger_by_year, person_ledger
from training.learning.selectors.requirements import RequirementStatus, person_requirement_years
from training.sessions.selectors.scoping import sessions_attended_by

# Records retention (regulations.md §7, V secondary): special-operation training files are kept
# ≥ 6 years (principals' and safety managers' ≥ 3), so the file judges the requirement of the
# last six years at most, this one included.
RETENTION_YEARS = 6


def dossier_people_visible_to(user: User) -> QuerySet[Person]:
    """Whose file a user may open: the learner their own, managers their staff, officers theirs
    (the registry's one rule), with what the file's identity section shows."""
    return people_visible_to(user).select_related(
        "employer__industry", "employer__village", "department", "work_post"
    )


@dataclass
class PersonDossier:
    """One person's file: identity (masked for the viewer) and every section, oldest first."""

    person: Person
    today: datetime.date
    id_number: str
    phone: str
    employment: list[dict]
    requirements: list[RequirementStatus]
    ledger: list[tuple[int, Decimal, list]]
    three_level: list
    attendances: list
    drills: list
    attempts: list
    certificates: list
    issued: list = field(default_factory=list)
    until: datetime.date | None = None  # the file as it stood that day (a year's archive)

    @property
    def unit_name(self) -> str:
        unit = self.person.employer or self.person.department
        return unit.name if unit is not None else ""

    @property
    def retraining_label(self) -> str:
        """The workshop and team re-training still due after a move (第十七条), if any."""
        return self.requirements[-1].retraining_label if self.requirements else ""

    @property
    def hours_total(self) -> Decimal:
        return sum((total for _year, total, _entries in self.ledger), Decimal("0"))


def requirement_years(
    person: Person, first_dates: list[datetime.date | None], today: datetime.date
) -> range:
    """From the year of the person's hire or first record to this year, within retention."""
    dates = [d for d in (person.hire_date, *first_dates) if d is not None]
    first = min((d.year for d in dates), default=today.year)
    return range(max(first, today.year - RETENTION_YEARS + 1), today.year + 1)


def person_dossier(
    *,
    person: Person,
    viewer: User | None,
    today: datetime.date,
    masking: Masking | None = None,
    until: datetime.date | None = None,
) -> PersonDossier:
    """The file of a person read through `dossier_people_visible_to(viewer)`; ID and phone
    numbers as `masking` (default: the viewer's) allows.

    `until`: the file as it stood at the end of that day — no record dated after it (a year's
    archived file, dossiers.archive, with `today` the same day).
    """
    masking = masking or Masking(viewer)
    ledger = person_ledger(person=person)
    attended = sessions_attended_by(person)
    handed_in = attempts_of_person(person)
    issued = issued_certificates_for_person(person)
    drills = drills_participated_by(person)
    before = None
    if until is not None:
        before = timezone.make_aware(
            datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min)
        )
        ledger = ledger.filter(date__lte=until)
        attended = attended.filter(session__starts_at__lt=before)
        handed_in = handed_in.filter(
            Q(submitted_at__lt=before) | Q(submitted_at__isnull=True, started_at__lt=before)
        )
        issued = issued.filter(issued_on__lte=until)
        drills = drills.filter(record__date__lte=until)
    entries = list(ledger)
    attendances = list(attended)
    attempts = list(handed_in)
    certificates = list(registered_certificates_with_reviews(person, today, until=until))
    for card in certificates:
        card.status_label = CertificateStatus(card.status).label
    firsts = [
        entries[0].date if entries else None,
        localdate(attendances[0].session.starts_at) if attendances else None,
        localdate(attempts[0].submitted_at or attempts[0].started_at) if attempts else None,
    ]
    return PersonDossier(
        person=person,
        today=today,
        id_number=masking.id_number(person),
        phone=masking.phone(person),
        employment=person_employment_history(person, before=before),
        requirements=person_requirement_years(
            person=person,
            entries=entries,
            years=requirement_years(person, firsts, today),
            today=today,
        ),
        ledger=ledger_by_year(entries, newest_first=False),
        three_level=[entry for entry in entries if entry.level],
        attendances=attendances,
        drills=list(drills),
        attempts=attempts,
        certificates=certificates,
        issued=list(issued.order_by("issued_on", "pk")),
        until=until,
    )

"""A random town for property tests: departments, villages, industries of every risk class,
enterprises active and closed, people of every role, status and employment type, and what the
coverage metrics read (study-hours ledger, sessions and attendance, certificates, exemplary
enterprises), dated across `year` and the year before.

`town_make(random.Random(seed), year=...)` builds the same town for the same seed, so a failing
seed can be rebuilt and looked at.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from certificates.services.registry import certificate_revoke, post_absence_record
from directory.constants import (
    AccountRole,
    EmploymentType,
    EnterpriseStatus,
    PersonStatus,
    RiskClass,
)
from directory.models import Department, Enterprise, Industry, Person, User, Village
from reports.models import ExemplaryEnterprise
from tests.factories.certificates import management_certificate, special_certificate
from tests.factories.directory import (
    DepartmentFactory,
    EnterpriseFactory,
    IndustryFactory,
    PersonFactory,
    UserFactory,
    VillageFactory,
)
from tests.factories.exams import AttemptFactory, ExamFactory, PaperFactory, QuestionBankFactory
from tests.factories.learning import StudyHourEntryFactory
from tests.factories.sessions import AttendanceFactory, TrainingSessionFactory
from training.models import AttendanceStatus, SessionKind

__all__ = ["Town", "town_make"]


@dataclass
class Town:
    year: int
    departments: list[Department] = field(default_factory=list)
    villages: list[Village] = field(default_factory=list)
    industries: list[Industry] = field(default_factory=list)
    enterprises: list[Enterprise] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    inspectors: list[Person] = field(default_factory=list)
    cadres: list[Person] = field(default_factory=list)
    office: User | None = None


def _day(rng: random.Random, year: int, last: datetime.date | None = None) -> datetime.date:
    """A day of `year`, not after `last`."""
    end = datetime.date(year, 12, 31) if last is None else min(last, datetime.date(year, 12, 31))
    start = datetime.date(year, 1, 1)
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def _moment(rng: random.Random, year: int) -> datetime.datetime:
    """A local time in `year`, early and late hours included (a month's edge in UTC)."""
    day = _day(rng, year)
    hour = rng.choice([0, 7, 9, 14, 23])
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, 30))


def town_make(rng: random.Random, *, year: int, size: int = 1) -> Town:
    """A town of about 10·size enterprises and 40·size people, at random."""
    today = timezone.localdate()
    town = Town(year=year)
    tag = rng.randrange(10**6)
    # The town safety office leads enterprises and has inspectors too, but is no member unit.
    office = Department.objects.filter(is_town_office=True).first() or DepartmentFactory(
        name=f"镇安委办{tag}", is_town_office=True
    )
    town.departments = [DepartmentFactory(name=f"部门{tag}-{n}") for n in range(3)] + [office]
    town.villages = [VillageFactory(name=f"村居{tag}-{n}") for n in range(3)]
    town.industries = [
        IndustryFactory(name=f"行业{tag}-{risk}", risk_class=risk) for risk in RiskClass.values
    ]
    town.office = UserFactory(username=f"office{tag}", role=AccountRole.TOWN_OFFICE)

    for _n in range(10 * size):
        enterprise = EnterpriseFactory(
            village=rng.choice(town.villages),
            industry=rng.choice(town.industries),
            lead_department=rng.choice(town.departments),
            status=EnterpriseStatus.ACTIVE if rng.random() < 0.85 else EnterpriseStatus.CLOSED,
            is_fire_key_unit=rng.random() < 0.2,
            handles_hazardous_chemicals=rng.random() < 0.15,
            is_crowded_place=rng.random() < 0.15,
        )
        town.enterprises.append(enterprise)
        staff = []
        for _m in range(rng.randint(1, 6)):
            hired = rng.choice(
                [
                    None,
                    _day(rng, year - 3),
                    _day(rng, year - 1),
                    _day(rng, year, today),
                    _day(rng, year + 1),  # hired for next year: owes nothing yet
                ]
            )
            roles = {
                "is_principal": rng.random() < 0.25,
                "is_safety_manager": rng.random() < 0.3,
                "is_special_operator": rng.random() < 0.35,
                "is_general_worker": rng.random() < 0.6,
            }
            person = PersonFactory(
                employer=enterprise,
                hire_date=hired,
                post_since=rng.choice([None, None, _day(rng, year, today), _day(rng, year - 1)]),
                status=PersonStatus.ACTIVE if rng.random() < 0.85 else PersonStatus.LEFT,
                employment_type=rng.choice(EmploymentType.values),
                **roles,
            )
            staff.append(person)
        principals = [p for p in staff if p.is_principal]
        if principals and rng.random() < 0.9:
            enterprise.principal = rng.choice(principals)
            enterprise.save(update_fields=["principal"])
        town.people.extend(staff)

    for department in town.departments:
        for _n in range(rng.randint(0, 3)):
            town.inspectors.append(
                PersonFactory(
                    employer=None,
                    department=department,
                    is_inspector=True,
                    is_general_worker=False,
                    status=PersonStatus.ACTIVE if rng.random() < 0.8 else PersonStatus.LEFT,
                )
            )

    _ledger_make(rng, town, today)
    _sessions_make(rng, town)
    _certificates_make(rng, town, today)
    _assessments_make(rng, town, today)
    for enterprise in rng.sample(town.enterprises, k=min(3, len(town.enterprises))):
        for named_year in sorted(rng.sample([year - 1, year], k=rng.randint(1, 2))):
            ExemplaryEnterprise.objects.create(
                enterprise=enterprise, year=named_year, named_on=_day(rng, named_year, today)
            )
    # Their own generator: the draws above stay what they were for a given seed.
    _cadres_make(random.Random(tag), town, today)
    return town


def _cadres_make(rng: random.Random, town: Town, today: datetime.date) -> None:
    """Leading cadres of the town, its departments and villages, with some study hours."""
    units = (
        [{}]
        + [{"department": d} for d in town.departments]
        + [{"village": v} for v in town.villages]
    )
    for unit in units:
        for _n in range(rng.randint(0, 2)):
            cadre = PersonFactory(
                employer=None,
                is_cadre=True,
                is_general_worker=False,
                status=PersonStatus.ACTIVE if rng.random() < 0.85 else PersonStatus.LEFT,
                **unit,
            )
            town.cadres.append(cadre)
            for _m in range(rng.randint(0, 3)):
                StudyHourEntryFactory(
                    person=cadre,
                    hours=Decimal(rng.randint(1, 8)),
                    date=_day(rng, rng.choice([town.year - 1, town.year]), today),
                )


def _ledger_make(rng: random.Random, town: Town, today: datetime.date) -> None:
    for person in town.people:
        for _n in range(rng.randint(0, 5)):
            StudyHourEntryFactory(
                person=person,
                hours=Decimal(rng.randint(1, 40)) / 2,
                date=_day(rng, rng.choice([town.year - 1, town.year]), today),
            )


def _sessions_make(rng: random.Random, town: Town) -> None:
    principals = [p for p in town.people if p.is_principal]
    statuses = AttendanceStatus.values
    for year in (town.year - 1, town.year):
        for kind, people in (
            (SessionKind.PRINCIPAL, principals),
            (SessionKind.INSPECTORS, town.inspectors),
        ):
            for _n in range(2):
                session = TrainingSessionFactory(kind=kind, starts_at=_moment(rng, year))
                for person in rng.sample(people, k=len(people) // 2):
                    AttendanceFactory(session=session, person=person, status=rng.choice(statuses))
        for department in town.departments:
            for _n in range(rng.randint(0, 2)):
                # Some still to come: planned, not held.
                TrainingSessionFactory(
                    kind=SessionKind.CRITERIA,
                    organiser_department=department,
                    starts_at=_moment(rng, year),
                )


def _certificates_make(rng: random.Random, town: Town, today: datetime.date) -> None:
    """Cards of every age (some expired or past a missed review), some revoked, some held by
    someone away from the post long enough to need the practical exam again."""
    cards = []
    for person in town.people:
        if person.is_special_operator and rng.random() < 0.7:
            cards.append(
                special_certificate(
                    person, first_issued_on=_day(rng, rng.randint(town.year - 8, town.year), today)
                )
            )
        if (person.is_principal or person.is_safety_manager) and rng.random() < 0.6:
            cards.append(
                management_certificate(
                    person, first_issued_on=_day(rng, rng.randint(town.year - 4, town.year), today)
                )
            )
    for card in cards:
        if rng.random() < 0.1:
            certificate_revoke(
                user=None,
                certificate=card,
                on=_day(rng, rng.choice([town.year - 1, town.year]), today),
                reason="随机撤销",
            )
        elif rng.random() < 0.1:
            post_absence_record(
                user=None,
                certificate=card,
                left_on=_day(rng, town.year - 1),
                returned_on=rng.choice([None, _day(rng, town.year, today)]),
            )


def _assessments_make(rng: random.Random, town: Town, today: datetime.date) -> None:
    """Principals' assessment attempts, passed or not, last year and this (none after today)."""
    principals = [p for p in town.people if p.is_principal]
    if not principals:
        return
    exam = ExamFactory(
        paper=PaperFactory(bank=QuestionBankFactory(name=f"考核题库{rng.randrange(10**6)}")),
        kind="assessment",
    )
    for person in rng.sample(principals, k=len(principals) // 3):
        when = _moment(rng, rng.choice([town.year - 1, town.year]))
        if when.date() > today:
            continue
        AttemptFactory(
            exam=exam,
            person=person,
            started_at=when,
            deadline=when,
            submitted_at=when,
            passed=rng.random() < 0.6,
        )

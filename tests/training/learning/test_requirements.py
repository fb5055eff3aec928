"""Training requirements as data: the seeded table, each person's status, bounded queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from directory.constants import AccountRole, EmploymentType, PersonStatus, RiskClass
from directory.models import Person
from tests.factories import EnterpriseFactory, IndustryFactory, PersonFactory
from tests.factories.learning import StudyHourEntryFactory
from training.learning.models.ledger import TrainingLevel
from training.learning.selectors.ledger import person_ledger
from training.learning.selectors.requirements import (
    INITIAL_MISSING,
    MET,
    NOT_DUE,
    SHORT,
    person_requirement_years,
    requirement_status,
    status_sorted,
)
from training.models import RequirementKind, StudyHourEntry, TrainingRequirement

pytestmark = pytest.mark.django_db
YEAR = 2025


def credit(person, hours, date=datetime.date(YEAR, 5, 1)):
    StudyHourEntryFactory(
        person=person, hours=Decimal(hours), date=date, training_name=f"培训{hours}{date}"
    )


def status_of(person, year=YEAR):
    [status] = requirement_status(people=Person.objects.filter(pk=person.pk), year=year)
    return status


def test_the_migration_seeds_regulations_section_2():
    def hours(kind, role, risk=""):
        return TrainingRequirement.objects.get(kind=kind, person_role=role, risk_class=risk).hours

    assert hours(RequirementKind.INITIAL, "principal") == 32
    assert hours(RequirementKind.INITIAL, "safety_manager", RiskClass.HIGH_RISK) == 48
    assert hours(RequirementKind.ANNUAL, "principal", RiskClass.HIGH_RISK) == 16
    assert hours(RequirementKind.PRE_JOB, "general_worker") == 24
    assert hours(RequirementKind.PRE_JOB, "general_worker", RiskClass.HIGH_RISK) == 72
    assert hours(RequirementKind.PRE_JOB, "general_worker", RiskClass.CONSTRUCTION) == 32
    assert hours(RequirementKind.ANNUAL, "general_worker") == 8
    assert hours(RequirementKind.ANNUAL, "special_operator", RiskClass.HIGH_RISK) == 20
    assert TrainingRequirement.objects.get(
        kind=RequirementKind.PRE_JOB, person_role="general_worker", risk_class=""
    ).three_level
    assert TrainingRequirement.objects.filter(kind=RequirementKind.RETRAINING).exists()


def test_worker_annual_hours_met_short_and_not_due(town):
    person = town["person_a"]  # a general worker hired before the year
    person.hire_date = datetime.date(2019, 1, 1)
    person.save()
    status = status_of(person)
    assert (status.required, status.credited, status.status) == (8, 0, SHORT)
    credit(person, "5")
    status = status_of(person)
    assert status.status == SHORT and status.short_by == 3
    assert "3" in status.status_label
    credit(person, "3")
    assert status_of(person).status == MET
    # Hours of another year do not count.
    credit(person, "72", datetime.date(YEAR - 1, 6, 1))
    assert status_of(person).credited == 8


def test_new_hire_in_high_risk_industry_needs_72_pre_job_hours(town):
    chem = IndustryFactory(name="危险化学品", risk_class=RiskClass.HIGH_RISK)
    enterprise = EnterpriseFactory(industry=chem)
    person = PersonFactory(employer=enterprise, hire_date=datetime.date(YEAR, 3, 1))
    status = status_of(person)
    assert (status.required, status.status, status.kind) == (72, INITIAL_MISSING, "pre_job")
    assert status.status_label == "缺初次培训"
    credit(person, "24")
    assert status_of(person).status == SHORT


def test_principal_uses_the_larger_of_the_roles(town):
    person = town["person_a"]
    person.is_principal = True
    person.hire_date = datetime.date(YEAR, 1, 10)
    person.save()
    status = status_of(person)
    assert status.required == 32 and status.kind == "initial"


def test_dispatched_workers_count_as_host_staff_unless_the_office_says_otherwise(town):
    person = PersonFactory(
        employer=town["ent_a"],
        employment_type=EmploymentType.DISPATCHED,
        hire_date=datetime.date(2020, 1, 1),
    )
    assert status_of(person).required == 8
    TrainingRequirement.objects.filter(kind="annual", person_role="general_worker").update(
        includes_non_regular=False
    )
    assert status_of(person).status == NOT_DUE


def test_people_who_left_inspectors_and_future_hires_are_not_due(town):
    left = PersonFactory(employer=town["ent_a"], status=PersonStatus.LEFT)
    later = PersonFactory(employer=town["ent_a"], hire_date=datetime.date(YEAR + 1, 2, 1))
    assert status_of(left).status == NOT_DUE
    assert status_of(later).status == NOT_DUE
    assert status_of(town["inspector_a"]).status == NOT_DUE


def test_an_edited_row_changes_the_result_without_code(town):
    person = town["person_a"]
    person.hire_date = datetime.date(2019, 1, 1)
    person.save()
    TrainingRequirement.objects.filter(
        kind="annual", person_role="general_worker", risk_class=""
    ).update(hours=10)
    assert status_of(person).required == 10


def test_status_of_many_people_in_bounded_queries(town, django_assert_max_num_queries):
    industries = [
        IndustryFactory(name=f"行业{i}", risk_class=risk) for i, risk in enumerate(RiskClass.values)
    ]
    enterprises = [EnterpriseFactory(industry=industries[i % len(industries)]) for i in range(8)]
    people = Person.objects.bulk_create(
        [
            Person(
                name=f"员工{i}",
                id_number=f"3101181990{i:08d}"[:18],
                employer=enterprises[i % 8],
                is_general_worker=True,
                is_principal=i % 10 == 0,
                hire_date=datetime.date(YEAR if i % 3 == 0 else 2018, 1, 1),
                # Some moved to another post: their re-training duty is read too (第十七条).
                post_since=datetime.date(YEAR, 3, 1) if i % 7 == 0 else None,
            )
            for i in range(300)
        ]
    )
    StudyHourEntry.objects.bulk_create(
        StudyHourEntryFactory.build(
            person=p, hours=Decimal("4"), date=datetime.date(YEAR, 2, 1), training_name="x"
        )
        for p in people[::2]
    )
    # The table, the people, the ledger sums, the moved people, their workshop / team entries.
    with django_assert_max_num_queries(5):
        statuses = requirement_status(people=Person.objects.all(), year=YEAR)
    assert len(statuses) == Person.objects.count()
    assert {s.status for s in statuses} >= {SHORT, INITIAL_MISSING, NOT_DUE}
    worst = status_sorted(statuses, "status")[0]
    assert worst.status == INITIAL_MISSING
    assert status_sorted(statuses, "-credited")[0].credited == 4


def test_town_office_edits_the_table_others_only_read(client, accounts):
    row = TrainingRequirement.objects.get(
        kind="annual", person_role="general_worker", risk_class=""
    )
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    url = reverse("training_requirements:edit", args=[row.pk])
    data = {
        "person_role": row.person_role,
        "kind": row.kind,
        "risk_class": "",
        "hours": "9",
        "includes_non_regular": "on",
        "source": row.source,
        "note": "",
    }
    assert client.post(url, data).status_code == 302
    row.refresh_from_db()
    assert row.hours == 9
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    assert client.get(reverse("training_requirements:index")).status_code == 200
    assert client.post(url, {**data, "hours": "1"}).status_code in (302, 403, 404)
    row.refresh_from_db()
    assert row.hours == 9


def test_retraining_after_a_transfer_applies_once_the_office_sets_its_hours(town):
    person = town["person_a"]  # a general worker of an ordinary industry, hired before the year
    person.hire_date = datetime.date(2019, 3, 1)
    person.post_since = datetime.date(YEAR, 4, 1)  # moved to another post this year
    person.save()
    credit(person, 8)
    # The seeded 第十七条 row fixes no hours: the annual 8 学时 are what is required.
    assert (status_of(person).required, status_of(person).status) == (8, MET)

    retraining = TrainingRequirement.objects.get(
        kind=RequirementKind.RETRAINING, person_role="general_worker", risk_class=""
    )
    retraining.hours = Decimal(12)
    retraining.save()
    status = status_of(person)
    assert (status.required, status.kind, status.status) == (12, RequirementKind.RETRAINING, SHORT)
    assert status.short_by == 4
    # The year after, only the annual hours apply again.
    credit(person, 8, date=datetime.date(YEAR + 1, 3, 1))
    assert status_of(person, YEAR + 1).required == 8


def test_a_post_since_equal_to_the_hire_date_is_no_transfer(town):
    person = town["person_a"]
    person.hire_date = person.post_since = datetime.date(YEAR - 1, 6, 1)
    person.save()
    TrainingRequirement.objects.filter(kind=RequirementKind.RETRAINING).update(hours=12)
    assert status_of(person).required == 8


def test_one_persons_years_agree_with_the_status_of_each_year(town, django_assert_max_num_queries):
    """一人一档 asks for many years at once (`person_requirement_years`); the rules are the ones
    `requirement_status` applies year by year: hire year (第十三条 pre-job), later years
    (annual), a move (第十七条, workshop and team levels), a year still to come."""
    industry = IndustryFactory(name="危险化学品", risk_class=RiskClass.HIGH_RISK)
    person = PersonFactory(
        employer=EnterpriseFactory(industry=industry),
        hire_date=datetime.date(2022, 5, 1),
        post_since=datetime.date(2024, 9, 1),
        is_special_operator=True,
    )
    for day, hours, level in (
        (datetime.date(2022, 6, 1), "72", ""),
        (datetime.date(2023, 3, 1), "12", ""),
        (datetime.date(2024, 9, 5), "4", TrainingLevel.WORKSHOP),
        (datetime.date(2025, 2, 1), "20", TrainingLevel.TEAM),
    ):
        StudyHourEntryFactory(person=person, hours=Decimal(hours), date=day, level=level)
    today = datetime.date(2025, 6, 1)
    person = Person.objects.select_related("employer__industry").get(pk=person.pk)
    entries = list(person_ledger(person=person))
    with django_assert_max_num_queries(1):
        years = person_requirement_years(
            person=person, entries=entries, years=range(2021, 2027), today=today
        )
    assert [s.year for s in years] == list(range(2021, 2027))
    for status in years:
        [one] = requirement_status(
            people=Person.objects.filter(pk=person.pk), year=status.year, today=today
        )
        assert (status.required, status.credited, status.status, status.kind) == (
            one.required,
            one.credited,
            one.status,
            one.kind,
        ), status.year
        assert status.retraining == one.retraining
    assert {s.status for s in years} >= {"not_due", "met", "short"}

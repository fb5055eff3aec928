"""`manage.py seed_demo`: the demo town is complete, valid, deterministic and safe to run twice."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.constants import LEAD_DEPARTMENTS, TOWN_OFFICE_NAME, AccountRole
from directory.demo import DEMO_PASSWORD, Planner
from directory.identifiers import credit_code_validate, id_number_validate
from directory.models import Department, Enterprise, Industry, Person, User, Village

pytestmark = pytest.mark.django_db

DEMO_LOGINS = ["admin", "town", "dept", "village", "manager", "learner", "editor"]


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Department, Village, Industry, Enterprise, Person, User)
    }


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_town_is_the_same_every_time():
    first, second = Planner(), Planner()
    plan = [(e.credit_code, e.name, e.people) for e in first.enterprises()]
    assert plan == [(e.credit_code, e.name, e.people) for e in second.enterprises()]
    assert first.inspectors() == second.inspectors()


class TestTheDemoTown:
    """The package's demo town (tests/demo/conftest.py); each test's changes roll back."""

    @pytest.fixture
    def seeded(self, demo_town, db):
        return _counts()

    def test_the_command_prints_where_to_go_and_the_demo_logins(self, demo_town):
        output = demo_town

        assert "http://127.0.0.1:" in output
        for username in DEMO_LOGINS:
            assert f"  {username} " in output
        assert DEMO_PASSWORD in output

    def test_the_demo_town_has_every_unit_and_the_promised_sizes(self, seeded):
        assert seeded["Department"] == 17
        assert Department.objects.get(is_town_office=True).name == TOWN_OFFICE_NAME
        assert set(Department.objects.values_list("name", flat=True)) == {
            TOWN_OFFICE_NAME,
            *LEAD_DEPARTMENTS,
        }
        assert seeded["Village"] >= 20
        assert seeded["Enterprise"] == 200
        assert seeded["Person"] >= 3000
        assert (
            Person.objects.filter(is_inspector=True, employer=None).exclude(department=None).count()
            >= 30
        )
        # Every lead department leads at least one industry; the town office sees all instead.
        assert not Department.objects.filter(is_town_office=False, industries=None).exists()
        assert set(Industry.objects.values_list("risk_class", flat=True)) == {
            "high_risk",
            "construction",
            "road_transport",
            "general",
        }

    def test_every_enterprise_has_a_principal_and_a_safety_manager(self, seeded):
        assert not Enterprise.objects.filter(principal=None).exists()
        for enterprise in Enterprise.objects.select_related("principal"):
            assert enterprise.principal.is_principal
            assert enterprise.principal.employer_id == enterprise.pk
        without_manager = Enterprise.objects.exclude(people__is_safety_manager=True)
        assert not without_manager.exists()
        assert Enterprise.objects.filter(is_fire_key_unit=True).exists()
        assert Enterprise.objects.filter(handles_hazardous_chemicals=True).exists()
        assert Enterprise.objects.filter(is_crowded_place=True).exists()

    def test_every_identifier_is_valid_and_derived_fields_are_filled(self, seeded):
        for code in Enterprise.objects.values_list("credit_code", flat=True):
            credit_code_validate(code)
        for number, birth_date, sex in Person.objects.values_list("id_number", "birth_date", "sex"):
            try:
                id_number_validate(number)
            except ValidationError as error:  # pragma: no cover - names the bad number
                pytest.fail(f"{number}: {error}")
            assert birth_date.strftime("%Y%m%d") == number[6:14]
            assert sex == ("M" if int(number[16]) % 2 else "F")
        assert Person.objects.filter(phone__regex=r"^138\d{8}$").count() == seeded["Person"]

    def test_people_mix_roles_and_employment_types(self, seeded):
        assert Person.objects.filter(is_special_operator=True).count() > 100
        assert set(Person.objects.values_list("employment_type", flat=True)) == {
            "regular",
            "dispatched",
            "outsourced",
            "flexible",
            "intern",
        }

    def test_a_second_run_writes_nothing(self, seeded):
        learner = User.objects.get(username="learner")
        learner.set_password("changed-by-the-learner")
        learner.save()

        with CaptureQueriesContext(connection) as queries:
            _seed()

        assert _counts() == seeded
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        ]
        assert writes == []
        # An account that exists is left alone: its changed password still works.
        assert User.objects.get(username="learner").check_password("changed-by-the-learner")

    @pytest.mark.parametrize("username", DEMO_LOGINS)
    def test_each_demo_login_logs_in(self, client, seeded, username):
        login = {"username": username, "password": DEMO_PASSWORD}
        assert client.post(reverse("login"), login).status_code == 302
        assert client.get("/me/").status_code == 200

    def test_demo_logins_are_tied_to_their_units_and_people(self, seeded):
        accounts = {u.username: u for u in User.objects.filter(username__in=DEMO_LOGINS)}
        assert accounts["admin"].is_superuser
        assert accounts["town"].role == AccountRole.TOWN_OFFICE
        assert accounts["dept"].department.name == "经发办"
        assert accounts["village"].village.name == "徐泾村"

        manager = accounts["manager"]
        assert manager.person.is_safety_manager
        assert manager.person.employer == manager.enterprise
        # The demo enterprise is in the officers' scope, so every role sees it from its side.
        assert manager.enterprise.lead_department == accounts["dept"].department
        assert manager.enterprise.village == accounts["village"].village

        learner = accounts["learner"]
        assert learner.role == AccountRole.LEARNER
        assert learner.person.is_general_worker
        assert not (learner.person.is_principal or learner.person.is_safety_manager)

        assert accounts["editor"].role == AccountRole.EDITOR
        # The role's page rights come as its group (content.publishing).
        assert list(accounts["editor"].groups.values_list("name", flat=True)) == ["宣传编辑"]

"""narrow_to_unit: each role's rows of a queryset, given the field paths naming each unit."""

import ast
import pathlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from directory.constants import AccountRole
from directory.models import Department, Enterprise, Person
from directory.scoping import ALL, SCOPES, Unit, account_role, narrow_to_unit, unit_of
from tests.factories.directory import UserFactory

pytestmark = pytest.mark.django_db

ROLES = list(AccountRole)


def names(queryset) -> set[str]:
    return {str(row) for row in queryset}


def people_narrowed(user, **paths) -> set[str]:
    return {p.name for p in narrow_to_unit(Person.objects.all(), user, **paths)}


PEOPLE_PATHS = {
    "department": ("employer__lead_department", "department"),
    "village": "employer__village",
    "enterprise": "employer",
}


@pytest.mark.parametrize(
    "role,expected",
    [
        (AccountRole.TOWN_OFFICE, {"张三", "李四", "王五"}),
        # The officer's department leads 甲 (张三) and employs the inspector 王五.
        (AccountRole.DEPARTMENT_OFFICER, {"张三", "王五"}),
        (AccountRole.VILLAGE_OFFICER, {"张三"}),
        (AccountRole.ENTERPRISE_MANAGER, {"张三"}),
        (AccountRole.LEARNER, set()),
        (AccountRole.EDITOR, set()),
    ],
)
def test_each_role_sees_the_rows_of_its_own_unit(accounts, role, expected):
    assert people_narrowed(accounts[role], **PEOPLE_PATHS) == expected


def test_a_superuser_acts_as_the_town_office(town):
    admin = UserFactory(username="root", role=AccountRole.LEARNER, is_superuser=True)
    assert account_role(admin) == AccountRole.TOWN_OFFICE
    assert people_narrowed(admin) == {"张三", "李四", "王五"}


def test_nobody_signed_out_or_inactive_sees_a_row(accounts):
    assert people_narrowed(AnonymousUser(), **PEOPLE_PATHS, own="account") == set()
    town_office = accounts[AccountRole.TOWN_OFFICE]
    town_office.is_active = False
    assert people_narrowed(town_office, **PEOPLE_PATHS) == set()


@pytest.mark.parametrize("role", [r for r in ROLES if r != AccountRole.TOWN_OFFICE])
def test_with_no_path_only_the_town_office_sees_rows(accounts, role):
    assert people_narrowed(accounts[role]) == set()
    assert people_narrowed(accounts[AccountRole.TOWN_OFFICE]) == {"张三", "李四", "王五"}


def test_a_unit_given_no_path_sees_nothing_even_when_other_units_have_one(accounts):
    only_enterprises = {"enterprise": "employer"}
    assert people_narrowed(accounts[AccountRole.DEPARTMENT_OFFICER], **only_enterprises) == set()
    assert people_narrowed(accounts[AccountRole.VILLAGE_OFFICER], **only_enterprises) == set()
    assert people_narrowed(accounts[AccountRole.ENTERPRISE_MANAGER], **only_enterprises) == {"张三"}


def test_one_path_of_several_is_enough(accounts):
    officer = accounts[AccountRole.DEPARTMENT_OFFICER]
    assert people_narrowed(officer, department="employer__lead_department") == {"张三"}
    assert people_narrowed(officer, department="department") == {"王五"}


def test_all_lets_a_unit_read_every_row(accounts, town):
    every = {"department": ALL, "village": ALL, "enterprise": ALL}
    for role in (
        AccountRole.DEPARTMENT_OFFICER,
        AccountRole.VILLAGE_OFFICER,
        AccountRole.ENTERPRISE_MANAGER,
    ):
        assert names(narrow_to_unit(Department.objects.all(), accounts[role], **every)) == {
            "经发办",
            "规建办",
        }
    assert (
        narrow_to_unit(Department.objects.all(), accounts[AccountRole.LEARNER], **every).count()
        == 0
    )


def test_own_rows_for_roles_without_a_unit_path(accounts):
    # The learner is 张三's account; the editor has no registry entry.
    assert people_narrowed(accounts[AccountRole.LEARNER], own="account") == {"张三"}
    assert people_narrowed(accounts[AccountRole.EDITOR], own="account") == set()
    # A unit path given wins over the own rows.
    assert people_narrowed(
        accounts[AccountRole.VILLAGE_OFFICER], village="employer__village", own="account"
    ) == {"张三"}


def test_shared_rows_join_every_unit_given_a_path(accounts, town):
    # People without an employer (the inspector) stand in for rows "shared" with every unit.
    shared = Q(employer__isnull=True)
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    assert people_narrowed(manager, enterprise="employer", shared=shared) == {"张三", "王五"}
    # A role given no path gets no shared rows.
    assert people_narrowed(manager, department="department", shared=shared) == set()


def test_the_enterprise_itself_as_the_unit(accounts, town):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    narrowed = narrow_to_unit(Enterprise.objects.all(), manager, enterprise="pk")
    assert list(narrowed) == [town["ent_a"]]


def test_every_registered_scope_is_filled_when_apps_are_ready():
    labels = {model._meta.label for model in SCOPES}
    assert {"directory.Enterprise", "directory.Person", "training.TrainingSession"} <= labels
    assert {"reports.Target", "certificates.IssuedCertificate", "training.QuestionBank"} <= labels


def test_the_scoping_module_imports_no_models():
    source = pathlib.Path(__file__).parents[2] / "directory" / "scoping.py"
    imported = {
        node.module
        for node in ast.walk(ast.parse(source.read_text()))
        if isinstance(node, ast.ImportFrom)
    }
    assert imported == {
        "collections.abc",
        "dataclasses",
        "django.db.models",
        "directory.constants",
    }


def test_the_unit_of_each_role(accounts, town):
    assert unit_of(accounts[AccountRole.TOWN_OFFICE]) == Unit("town")
    assert unit_of(accounts[AccountRole.DEPARTMENT_OFFICER]) == Unit(
        "department", town["dept_a"].pk
    )
    assert unit_of(accounts[AccountRole.VILLAGE_OFFICER]) == Unit("village", town["village_a"].pk)
    assert unit_of(accounts[AccountRole.ENTERPRISE_MANAGER]) == Unit("enterprise", town["ent_a"].pk)
    assert unit_of(accounts[AccountRole.LEARNER]) is None
    assert unit_of(AnonymousUser()) is None

"""Login accounts in the back office: the town office creates them per role, tied to units."""

import pytest
from django.urls import reverse

from directory.constants import AccountRole
from directory.models import User

pytestmark = pytest.mark.django_db

ADD = "wagtailusers_users:add"


def account_data(**fields):
    data = {
        "username": "new-account",
        "email": "",
        "first_name": "",
        "last_name": "",
        "password1": "Xujing-2026-safe",
        "password2": "Xujing-2026-safe",
        "role": AccountRole.LEARNER,
        "department": "",
        "village": "",
        "enterprise": "",
        "person_id_number": "",
    }
    data.update(fields)
    return data


@pytest.fixture
def town_client(client, accounts):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    return client


def test_town_office_creates_a_department_officer_who_then_sees_the_sector(
    town_client, client, town
):
    response = town_client.post(
        reverse(ADD),
        account_data(role=AccountRole.DEPARTMENT_OFFICER, department=town["dept_b"].pk),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = User.objects.get(username="new-account")
    assert account.role == AccountRole.DEPARTMENT_OFFICER and account.department == town["dept_b"]

    client.logout()
    login = {"username": "new-account", "password": "Xujing-2026-safe"}
    assert client.post(reverse("login"), login).status_code == 302
    listing = client.get(reverse("registry_enterprises:index")).content.decode()
    assert town["ent_b"].name in listing and town["ent_a"].name not in listing


def test_a_role_without_its_unit_is_refused(town_client):
    response = town_client.post(reverse(ADD), account_data(role=AccountRole.VILLAGE_OFFICER))
    assert response.status_code == 200
    assert "此角色需要选择所属单位" in response.content.decode()
    assert not User.objects.filter(username="new-account").exists()


def test_units_that_do_not_belong_to_the_role_are_dropped(town_client, town):
    town_client.post(
        reverse(ADD),
        account_data(
            role=AccountRole.VILLAGE_OFFICER,
            village=town["village_a"].pk,
            department=town["dept_a"].pk,
        ),
    )
    account = User.objects.get(username="new-account")
    assert account.village == town["village_a"] and account.department is None


def test_a_learner_account_is_tied_to_the_person_by_id_number(town_client, town):
    person = town["person_b"]
    response = town_client.post(
        reverse(ADD), account_data(person_id_number=person.id_number.lower())
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.account.username == "new-account"

    # The same person cannot get a second account.
    response = town_client.post(
        reverse(ADD), account_data(username="second", person_id_number=person.id_number)
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="second").exists()


def test_a_manager_account_must_belong_to_someone_of_that_enterprise(town_client, town):
    response = town_client.post(
        reverse(ADD),
        account_data(
            role=AccountRole.ENTERPRISE_MANAGER,
            enterprise=town["ent_a"].pk,
            person_id_number=town["person_b"].id_number,
        ),
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="new-account").exists()


def test_only_an_administrator_makes_administrators(town_client):
    town_client.post(
        reverse(ADD),
        account_data(role=AccountRole.EDITOR, is_superuser="on"),
    )
    assert not User.objects.get(username="new-account").is_superuser


def test_the_account_list_shows_role_and_unit(town_client, accounts, town):
    page = town_client.get(reverse("wagtailusers_users:index")).content.decode()
    assert "部门工作人员" in page and town["dept_a"].name in page


@pytest.mark.parametrize(
    "role",
    [
        AccountRole.DEPARTMENT_OFFICER,
        AccountRole.VILLAGE_OFFICER,
        AccountRole.ENTERPRISE_MANAGER,
        AccountRole.EDITOR,
    ],
)
def test_other_roles_cannot_manage_accounts(client, accounts, role):
    client.force_login(accounts[role])
    assert client.get(reverse("wagtailusers_users:index")).status_code in (302, 403)
    response = client.post(reverse(ADD), account_data(role=AccountRole.TOWN_OFFICE))
    assert response.status_code in (302, 403)
    assert not User.objects.filter(username="new-account").exists()

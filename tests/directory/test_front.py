"""The front office as a learner sees it on a phone: log in, my page from the registry, languages."""

import pytest
from django.urls import reverse
from django.utils import translation

from directory.constants import AccountRole
from directory.identifiers import id_number_mask
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MY_PAGE = reverse("directory:my_page")
LOGIN = reverse("login")


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_login_page_is_chinese_by_default_and_fits_a_phone(client):
    html = _html(client.get(LOGIN))

    assert 'lang="zh-hans"' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    # The form's labels come from Django's own zh-hans catalogue.
    assert "用户名" in html
    assert "密码" in html


def test_a_learner_logs_in_and_lands_on_my_page(client, accounts):
    response = client.post(LOGIN, {"username": "learner", "password": "pw-for-tests"})

    assert response.status_code == 302
    assert response["Location"] == MY_PAGE


def test_a_wrong_password_is_refused_with_a_message(client, accounts):
    html = _html(client.post(LOGIN, {"username": "learner", "password": "wrong"}))

    assert 'role="alert"' in html
    assert "_auth_user_id" not in client.session


def test_my_page_requires_login(client):
    response = client.get(MY_PAGE)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={MY_PAGE}"


def test_my_page_shows_the_learner_from_the_registry(client, accounts, town):
    person = town["person_a"]
    client.force_login(accounts[AccountRole.LEARNER])

    html = _html(client.get(MY_PAGE))

    assert person.name in html
    for text in ("甲机械有限公司", "徐泾村", "机械制造", "经发办"):
        assert text in html
    with translation.override("zh-hans"):
        for label in [*person.role_labels, person.get_employment_type_display()]:
            assert str(label) in html
    # Hire date as Chinese users write it.
    assert "2020年1月1日" in html


def test_my_page_never_shows_the_whole_id_number_or_phone(client, accounts, town):
    person = town["person_a"]
    client.force_login(accounts[AccountRole.LEARNER])

    html = _html(client.get(MY_PAGE))

    assert person.id_number not in html
    assert id_number_mask(person.id_number) in html
    assert person.id_number[-4:] in html
    assert person.phone not in html


def test_learners_get_no_back_office_link_and_managers_do(client, accounts, town):
    client.force_login(accounts[AccountRole.LEARNER])
    assert reverse("wagtailadmin_home") not in _html(client.get(MY_PAGE))

    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    html = _html(client.get(MY_PAGE))
    assert reverse("wagtailadmin_home") in html
    # A manager's account names the enterprise it manages.
    assert town["ent_a"].name in html


def test_an_officer_without_a_registry_entry_sees_role_and_unit(client, accounts):
    client.force_login(accounts[AccountRole.DEPARTMENT_OFFICER])

    html = _html(client.get(MY_PAGE))

    with translation.override("zh-hans"):
        assert str(AccountRole.DEPARTMENT_OFFICER.label) in html
    assert "经发办" in html
    assert "dept" in html


def test_an_inspector_sees_the_department(client, town):
    account = UserFactory(username="inspector", role=AccountRole.LEARNER)
    inspector = town["inspector_a"]
    inspector.account = account
    inspector.save()
    client.force_login(account)

    html = _html(client.get(MY_PAGE))

    assert inspector.name in html
    assert "经发办" in html
    assert "甲机械有限公司" not in html


def test_logout_is_a_post_form(client, accounts):
    client.force_login(accounts[AccountRole.LEARNER])
    html = _html(client.get(MY_PAGE))
    assert f'<form method="post" action="{reverse("logout")}">' in html

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(MY_PAGE).status_code == 302


def test_switching_to_english_and_back(client, accounts):
    client.force_login(accounts[AccountRole.LEARNER])

    response = client.post(reverse("set_language"), {"language": "en", "next": MY_PAGE})
    assert response.status_code == 302
    assert response["Location"] == MY_PAGE
    html = _html(client.get(MY_PAGE))
    assert 'lang="en"' in html
    assert "Jan. 1, 2020" in html
    assert "My page" in html

    client.post(reverse("set_language"), {"language": "zh-hans", "next": LOGIN})
    client.logout()
    html = _html(client.get(LOGIN))
    assert 'lang="zh-hans"' in html
    assert "用户名" in html


def test_the_login_page_in_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})

    html = _html(client.get(LOGIN))

    assert 'lang="en"' in html
    assert "Username" in html


def test_a_superuser_acts_as_the_town_office(client, db):
    client.force_login(UserFactory(username="root", is_superuser=True, role=AccountRole.LEARNER))

    html = _html(client.get(MY_PAGE))

    with translation.override("zh-hans"):
        assert str(AccountRole.TOWN_OFFICE.label) in html
        assert str(AccountRole.LEARNER.label) not in html
    assert reverse("wagtailadmin_home") in html

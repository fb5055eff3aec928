"""`create_town_office`: the first account of a new installation, with the town-office role."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from directory.constants import AccountRole
from directory.models import User
from tests.factories import UserFactory

PASSWORD = "Anfang2026-office"


def run(*args):
    out = io.StringIO()
    call_command("create_town_office", *args, stdout=out)
    return out.getvalue()


def login(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


@pytest.fixture
def password_env(monkeypatch):
    monkeypatch.setenv("TOWN_OFFICE_PASSWORD", PASSWORD)
    return "TOWN_OFFICE_PASSWORD"


def test_creates_a_town_office_account_that_can_log_in(db, client, password_env):
    out = run("zhang", "--password-from-env", password_env, "--superuser")
    assert "已创建镇安委办账号 zhang" in out
    account = User.objects.get(username="zhang")
    assert account.role == AccountRole.TOWN_OFFICE and account.is_town_office
    assert account.is_superuser and account.is_staff
    assert login(client, "zhang").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_without_superuser_the_role_alone_opens_the_back_office(db, client, password_env):
    run("li", "--password-from-env", password_env)
    account = User.objects.get(username="li")
    assert account.role == AccountRole.TOWN_OFFICE and not account.is_superuser
    assert login(client, "li").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_running_it_again_changes_nothing(db, password_env, monkeypatch):
    run("zhang", "--password-from-env", password_env)
    monkeypatch.setenv("TOWN_OFFICE_PASSWORD", "Another-passw0rd-x")
    out = run("zhang", "--password-from-env", password_env, "--superuser")
    assert "已存在" in out and "未作任何更改" in out
    account = User.objects.get(username="zhang")
    assert account.check_password(PASSWORD) and not account.is_superuser
    assert User.objects.filter(username="zhang").count() == 1


def test_an_account_of_another_role_is_refused_and_left_alone(db, password_env):
    UserFactory(username="wang", role=AccountRole.LEARNER)
    with pytest.raises(CommandError, match="已存在.*未作任何更改"):
        run("wang", "--password-from-env", password_env)
    assert User.objects.get(username="wang").role == AccountRole.LEARNER


def test_a_weak_password_is_refused_in_chinese_and_nothing_is_created(db, monkeypatch):
    monkeypatch.setenv("WEAK", "12345678")
    with pytest.raises(CommandError) as refused:
        run("zhao", "--password-from-env", "WEAK")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused.value))
    assert not User.objects.filter(username="zhao").exists()


def test_an_unset_variable_or_no_terminal_is_refused(db, monkeypatch):
    monkeypatch.delenv("NOT_SET_HERE", raising=False)
    with pytest.raises(CommandError, match="环境变量 NOT_SET_HERE"):
        run("zhou", "--password-from-env", "NOT_SET_HERE")
    # Under pytest standard input is not a terminal: no prompt, a clear refusal instead.
    with pytest.raises(CommandError, match="--password-from-env"):
        run("zhou")
    assert not User.objects.filter(username="zhou").exists()


def test_an_unknown_department_is_refused(db, password_env):
    with pytest.raises(CommandError, match="没有名为 镇安委 的部门"):
        run("sun", "--password-from-env", password_env, "--department", "镇安委")
    assert not User.objects.filter(username="sun").exists()

"""Security settings a user or attacker would notice: lockout, password rules, headers."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def _fail(client, username="learner", ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_pair_of_username_and_address(client, accounts, settings):
    for _ in range(settings.LOGIN_PAIR_FAILURE_LIMIT - 1):
        assert _fail(client).status_code == 200
    locked = _fail(client)
    assert locked.status_code == 429
    assert "登录已锁定" in locked.content.decode()
    assert "15" in locked.content.decode()
    # Now even the right password is refused from that address…
    right = {"username": "learner", "password": "pw-for-tests"}
    assert client.post(LOGIN, right, REMOTE_ADDR="10.0.0.1").status_code == 429
    # …while a colleague behind another address still gets in.
    assert client.post(LOGIN, right, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_a_success_resets_the_failure_count(client, accounts, settings):
    for _ in range(settings.LOGIN_PAIR_FAILURE_LIMIT - 1):
        _fail(client)
    right = {"username": "learner", "password": "pw-for-tests"}
    assert client.post(LOGIN, right, REMOTE_ADDR="10.0.0.1").status_code == 302
    client.logout()
    assert _fail(client).status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc12", "至少需要 10 个字符"),
        ("1234567890123", "密码只包含数字"),
        ("onlyletterspassword", "必须同时包含字母和数字"),
        ("password123", "太常见"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(password, message):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert any(message in m for m in caught.value.messages), caught.value.messages


def test_a_strong_password_passes():
    validate_password("Xujing-2026-safe")


def test_public_pages_carry_a_content_security_policy(client):
    response = client.get(LOGIN)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # The header's directives come in no fixed order: compare them as a mapping.
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["style-src"] == "'self'" and directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy


def test_the_admin_policy_adds_only_what_wagtail_needs(client, settings):
    response = client.get("/admin/login/")
    policy = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    site = dict(
        d.strip().split(" ", 1) for d in client.get(LOGIN)["Content-Security-Policy"].split(";")
    )
    assert policy["frame-ancestors"] == "'self'"  # the page editor's preview frame
    for directive, additions in settings.CSP_ADMIN_DIRECTIVES.items():
        assert policy[directive] == " ".join([site[directive], *additions])
    unchanged = set(site) - set(settings.CSP_ADMIN_DIRECTIVES) - {"frame-ancestors"}
    assert {key: policy[key] for key in unchanged} == {key: site[key] for key in unchanged}


def test_session_cookie_is_not_readable_by_scripts(client, accounts):
    client.post(LOGIN, {"username": "learner", "password": "pw-for-tests"})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"

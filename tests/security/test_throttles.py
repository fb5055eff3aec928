"""Limits an attacker or a careless user would hit: password reset mails, login lockouts by
address, the hours of one hand-booked ledger entry."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from directory.constants import AccountRole
from directory.importing.services import import_file
from directory.throttle import client_address
from tests.directory.importing_helpers import write_xlsx
from tests.factories import UserFactory
from tests.factories.learning import StudyHourEntryFactory
from training.learning.services.ledger import ledger_history_record
from training.models import ENTRY_MAX_HOURS, StudyHourEntry

pytestmark = pytest.mark.django_db

RESET = "/admin/password_reset/"
LOGIN = reverse("login")


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _reset(client, email, ip="10.1.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


# --- password reset ----------------------------------------------------------------------------


def test_reset_mails_stop_after_three_per_address_and_the_form_says_why(client, settings):
    assert settings.PASSWORD_RESET_EMAIL_LIMIT == (3, 3600)
    UserFactory(username="officer", email="officer@example.cn", role=AccountRole.TOWN_OFFICE)
    for _ in range(3):
        response = _reset(client, "officer@example.cn")
        assert response.status_code == 302
        assert response["Location"].endswith("/admin/password_reset/done/")
    assert len(mail.outbox) == 3

    # The address written differently is still the same address.
    refused = _reset(client, " Officer@Example.CN ")
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "密码重置请求过多" in text and "3" in text and "10" in text
    assert len(mail.outbox) == 3


def test_an_unknown_address_gets_the_same_answers_so_accounts_cannot_be_told_apart(client):
    UserFactory(username="officer", email="officer@example.cn", role=AccountRole.TOWN_OFFICE)
    answers = {}
    for email in ("officer@example.cn", "nobody@example.cn"):
        answers[email] = [
            (r.status_code, r.get("Location")) for r in (_reset(client, email) for _ in range(4))
        ]
    assert answers["officer@example.cn"] == answers["nobody@example.cn"]
    assert [status for status, _ in answers["nobody@example.cn"]] == [302, 302, 302, 200]
    assert len(mail.outbox) == 3


def test_one_network_may_ask_ten_times_an_hour_whatever_the_addresses(client, settings):
    assert settings.PASSWORD_RESET_ADDRESS_LIMIT == (10, 3600)
    for index in range(10):
        UserFactory(username=f"u{index}", email=f"u{index}@example.cn")
        assert _reset(client, f"u{index}@example.cn").status_code == 302
    UserFactory(username="u10", email="u10@example.cn")
    refused = _reset(client, "u10@example.cn")
    assert refused.status_code == 200 and "密码重置请求过多" in refused.content.decode()
    assert len(mail.outbox) == 10
    # Another network is not held back by the first.
    assert _reset(client, "u10@example.cn", ip="10.2.0.1").status_code == 302
    assert len(mail.outbox) == 11


# --- login lockouts ----------------------------------------------------------------------------


def _fail(client, username, ip):
    return client.post(LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)


def _right(client, ip):
    client.logout()
    return client.post(LOGIN, {"username": "learner", "password": "pw-for-tests"}, REMOTE_ADDR=ip)


def test_fifty_failures_from_one_address_lock_every_username_from_it(client, accounts, settings):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 50
    assert settings.LOGIN_PAIR_FAILURE_LIMIT == 5
    # A guesser tries 49 usernames once each: no pair reaches its 5, the address is not locked.
    for index in range(49):
        assert _fail(client, f"guess{index}", "10.3.0.1").status_code == 200
    assert _right(client, "10.3.0.1").status_code == 302
    # The success cleared only learner's own failures (there were none); one more guess makes 50.
    locked = _fail(client, "guess49", "10.3.0.1")
    assert locked.status_code == 429
    # Now the right password of an account never guessed is refused from that address…
    refused = _right(client, "10.3.0.1")
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "登录已锁定" in text and "此网络登录失败次数过多" in text and "15" in text
    # …while the same account from another address logs in, and so does another username.
    assert _right(client, "10.3.0.2").status_code == 302
    client.logout()
    town = client.post(
        LOGIN, {"username": "town", "password": "pw-for-tests"}, REMOTE_ADDR="10.3.0.9"
    )
    assert town.status_code == 302


def test_a_town_office_behind_one_nat_keeps_logging_in_through_many_typos(client, accounts):
    # 20 colleagues each mistype twice and then log in: 40 failures, every one cleared by its
    # owner's success, so the address never comes near its limit.
    for index in range(20):
        UserFactory(username=f"colleague{index}", role=AccountRole.LEARNER)
    for index in range(20):
        for _ in range(2):
            assert _fail(client, f"colleague{index}", "10.4.0.1").status_code == 200
        client.logout()
        ok = client.post(
            LOGIN,
            {"username": f"colleague{index}", "password": "pw-for-tests"},
            REMOTE_ADDR="10.4.0.1",
        )
        assert ok.status_code == 302
    assert _right(client, "10.4.0.1").status_code == 302


def test_the_pair_lockout_still_locks_one_username_at_five(client, accounts):
    for _ in range(4):
        assert _fail(client, "learner", "10.5.0.1").status_code == 200
    locked = _fail(client, "learner", "10.5.0.1")
    assert locked.status_code == 429
    assert "此账号" in locked.content.decode() or "该账号" in locked.content.decode()
    # A colleague on the same network is not affected by one person's lockout.
    client.logout()
    other = client.post(
        LOGIN, {"username": "town", "password": "pw-for-tests"}, REMOTE_ADDR="10.5.0.1"
    )
    assert other.status_code == 302


def test_behind_a_load_balancer_the_address_it_appended_is_the_clients(client, accounts, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # A guesser rotating a forged first X-Forwarded-For entry is still one address: the entry the
    # balancer appended (the real peer) is the one counted, so the pair lock holds at five.
    for index in range(4):
        response = client.post(
            LOGIN,
            {"username": "learner", "password": "wrong-password-1"},
            REMOTE_ADDR="10.9.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{index}, 203.0.113.7",
        )
        assert response.status_code == 200
    locked = client.post(
        LOGIN,
        {"username": "learner", "password": "wrong-password-1"},
        REMOTE_ADDR="10.9.0.1",
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7",
    )
    assert locked.status_code == 429
    # Another client behind the same balancer is a different address and logs in.
    other = client.post(
        LOGIN,
        {"username": "learner", "password": "pw-for-tests"},
        REMOTE_ADDR="10.9.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert other.status_code == 302


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.9.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.9.0.2"
    settings.TRUSTED_PROXY_COUNT = 2
    # Fewer entries than trusted proxies: the request did not come through them all.
    assert client_address(request) == "10.9.0.2"
    request = rf.get("/", REMOTE_ADDR="10.9.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 5.5.5.5, 4.4.4.4")
    assert client_address(request) == "5.5.5.5"


# --- hand-booked ledger entries ----------------------------------------------------------------


def _book(user, person, hours):
    return ledger_history_record(
        user=user,
        person=person,
        training_name="新员工岗前培训",
        hours=Decimal(hours),
        date=datetime.date(2026, 3, 2),
    )


def test_an_entry_of_9999_hours_is_refused_naming_the_limit(accounts, town):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    with pytest.raises(ValidationError) as refused:
        _book(manager, town["person_a"], "9999")
    message = "；".join(refused.value.message_dict["hours"])
    assert "72" in message and "学时" in message
    assert not StudyHourEntry.objects.exists()


def test_the_longest_rule_is_accepted_and_nothing_at_or_below_zero(accounts, town):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    assert Decimal("72") == ENTRY_MAX_HOURS
    assert _book(manager, town["person_a"], "72").hours == Decimal("72")
    for hours in ("0", "-8"):
        with pytest.raises(ValidationError):
            _book(manager, town["person_a"], hours)
    with pytest.raises(ValidationError):
        _book(manager, town["person_a"], "72.1")
    assert StudyHourEntry.objects.count() == 1


def test_the_back_office_form_refuses_9999_hours_in_chinese(client, accounts, town):
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    response = client.post(
        reverse("study_hours:add"),
        {
            "id_number": town["person_a"].id_number,
            "training_name": "新员工岗前培训",
            "training_type": "",
            "hours": "9999",
            "date": "2026-03-02",
            "organisation": "",
        },
    )
    assert response.status_code == 200
    assert "72" in response.content.decode() and "最长" in response.content.decode()
    assert not StudyHourEntry.objects.exists()


def test_the_database_refuses_an_oversized_entry_written_around_the_service(town):
    with pytest.raises(IntegrityError), transaction.atomic():
        StudyHourEntryFactory(
            person=town["person_a"],
            hours=Decimal("9999"),
            date=datetime.date(2026, 1, 1),
            training_name="x",
        )


def test_an_import_of_history_with_9999_hours_writes_nothing_and_names_the_limit(town, tmp_path):
    a = town["person_a"]
    headers = ["姓名", "身份证号", "培训名称", "培训类型", "学时", "培训日期", "培训机构"]
    path = write_xlsx(
        tmp_path / "h.xlsx",
        headers,
        [
            [a.name, a.id_number, "岗前培训", "", "72", "2026-03-02", ""],
            [a.name, a.id_number, "年度再培训", "", "9999", "2026-03-03", ""],
        ],
    )
    report = import_file(kind="training_records", path=path, dry_run=False)
    assert not report.written and not StudyHourEntry.objects.exists()
    [bad] = report.error_rows
    assert bad.row == 3 and "72" in bad.errors[0] and "学时" in bad.errors[0]

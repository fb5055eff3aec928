"""The daily job: staged reminders to the holder, the enterprise's managers and, once lapsed,
the lead department; each sent once even when the job runs twice or dies midway."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.services import registry_reminders
from certificates.services.registry import certificate_review_record
from certificates.services.registry_reminders import (
    LAPSED,
    registry_daily_run,
    registry_reminders_send,
    reminder_for,
)
from certificates.tasks import registry_daily_run_task as registry_daily_task
from directory.constants import AccountRole
from directory.models import Notification
from tests.factories import PersonFactory, UserFactory
from tests.factories.certificates import management_certificate, special_certificate

D = datetime.date
MANAGER = AccountRole.ENTERPRISE_MANAGER
DEPT = AccountRole.DEPARTMENT_OFFICER


@pytest.fixture
def card(accounts, town):
    """张三 (person_a, the learner) holds a low-voltage card due for review on 2027-03-05."""
    return special_certificate(town["person_a"], first_issued_on=D(2024, 3, 5))


def keys_by_user(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("key", flat=True))


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (D(2026, 12, 4), None),  # 91 days before
        (D(2026, 12, 5), "90"),
        (D(2027, 2, 3), "30"),
        (D(2027, 2, 26), "7"),
        (D(2027, 3, 5), "7"),  # the due date itself
        (D(2027, 3, 6), LAPSED),  # the day it lapses (第二十六条)
        (D(2027, 3, 13), LAPSED),  # announced late if the job did not run
        (D(2027, 3, 14), None),
    ],
)
def test_stage_of_a_review(card, today, stage):
    reminder = reminder_for(card, today)
    assert (reminder.stage if reminder else None) == stage


def test_stages_follow_the_setting(card, settings):
    settings.CERTIFICATE_REMINDER_DAYS = [60, 14]
    assert reminder_for(card, D(2026, 12, 5)) is None
    assert reminder_for(card, D(2027, 1, 4)).stage == "60"


def test_holder_and_managers_are_told_officers_only_once_lapsed(accounts, town, card):
    learner, manager, officer = accounts[AccountRole.LEARNER], accounts[MANAGER], accounts[DEPT]
    registry_reminders_send(today=D(2027, 2, 3))
    assert keys_by_user(learner) == [f"certificate:{card.pk}:review:2027-03-05:30"]
    assert keys_by_user(manager) == keys_by_user(learner)
    assert keys_by_user(officer) == []
    note = Notification.objects.get(recipient=learner)
    # Sent by the employer's lead department: whose certificate, what is due, by when, how.
    assert note.title.startswith("【经发办】证书待复审：张三的特种作业操作证")
    assert note.title.endswith("（2027年3月5日前）")
    assert "还有 30 天到复审期限，逾期未复审证书失效" in note.body
    assert "请于2027年3月5日前完成不少于 8 学时的复审培训并考试合格后" in note.body
    assert "向上海市应急管理局申请复审" in note.body
    assert note.link == "/me/"
    assert Notification.objects.get(recipient=manager).link.endswith(f"/{card.pk}/")
    registry_reminders_send(today=D(2027, 3, 6))
    lapsed = f"certificate:{card.pk}:lapsed:2027-03-06:lapsed"
    assert keys_by_user(officer) == [lapsed]
    assert lapsed in keys_by_user(learner) and lapsed in keys_by_user(manager)
    lapsed_note = Notification.objects.get(recipient=officer)
    assert lapsed_note.title.startswith("【经发办】证书已失效：张三的特种作业操作证")
    assert "自2027年3月6日起证书失效，原因：未按期复审或换证" in lapsed_note.body
    assert "请立即安排持证人停止该岗位作业" in lapsed_note.body
    # The manager is told to stop the holder; the holder is told to stop, in their own words.
    manager_note = Notification.objects.get(recipient=manager, key=lapsed)
    assert manager_note.body == lapsed_note.body
    holder_note = Notification.objects.get(recipient=learner, key=lapsed)
    assert holder_note.title == lapsed_note.title
    assert "请立即停止从事该岗位作业，经上海市应急管理局重新培训考核取证后方可上岗" in (
        holder_note.body
    )
    assert "安排持证人" not in holder_note.body


def test_other_enterprises_people_are_not_told(accounts, town, card):
    special_certificate(town["person_b"], first_issued_on=D(2024, 3, 5))
    registry_reminders_send(today=D(2027, 3, 6))
    manager_keys = keys_by_user(accounts[MANAGER])
    assert manager_keys == [f"certificate:{card.pk}:lapsed:2027-03-06:lapsed"]


def test_running_twice_sends_once(accounts, card):
    first = registry_daily_run(today=D(2027, 2, 3))
    second = registry_daily_run(today=D(2027, 2, 3))
    assert (first.sent, second.sent) == (2, 0)
    assert Notification.objects.count() == 2


def test_a_run_that_dies_midway_is_completed_by_the_next(accounts, town, monkeypatch):
    cards = [
        special_certificate(
            PersonFactory(employer=town["ent_a"], account=UserFactory()), number=f"C{n}"
        )
        for n in range(5)
    ]
    real_send = registry_reminders.notifications_send
    calls = []

    def dying_send(*, drafts):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("worker lost")
        return real_send(drafts=drafts)

    monkeypatch.setattr(registry_reminders, "notifications_send", dying_send)
    with pytest.raises(RuntimeError):
        registry_reminders_send(today=D(2027, 2, 3), chunk_size=1)
    partial = Notification.objects.count()
    assert partial == 4  # two chunks of holder + manager went out
    monkeypatch.setattr(registry_reminders, "notifications_send", real_send)
    rerun = registry_reminders_send(today=D(2027, 2, 3), chunk_size=1)
    assert rerun.sent == 2 * len(cards) - partial
    assert Notification.objects.count() == 2 * len(cards)


def test_a_passed_review_starts_a_new_cycle(accounts, card):
    registry_reminders_send(today=D(2027, 2, 3))
    certificate_review_record(
        user=None, certificate=card, reviewed_on=D(2027, 2, 10), result="passed", training_hours=8
    )
    card.refresh_from_db()
    assert reminder_for(card, D(2027, 3, 6)) is None
    assert registry_reminders_send(today=D(2027, 3, 6)).sent == 0


def test_management_certificate_expiry_reminder(accounts, town):
    certificate = management_certificate(town["person_a"], first_issued_on=D(2024, 3, 1))
    registry_reminders_send(today=D(2027, 2, 20))
    note = Notification.objects.get(recipient=accounts[AccountRole.LEARNER])
    assert note.key == f"certificate:{certificate.pk}:expiry:2027-03-01:30"
    assert note.title.startswith("【经发办】证书即将到期：张三的安全生产知识和管理能力考核合格证")
    assert "还有 9 天到期" in note.body and "请于2027年3月1日前参加换证培训和考核" in note.body


def test_queries_do_not_grow_with_certificates(accounts, town):
    def queries_for(count):
        Notification.objects.all().delete()
        for _n in range(count):
            special_certificate(PersonFactory(employer=town["ent_a"], account=UserFactory()))
        with CaptureQueriesContext(connection) as queries:
            registry_reminders_send(today=D(2027, 2, 3))
        return len(queries)

    assert queries_for(3) == queries_for(12)


def test_the_beat_task_runs_the_job(accounts, card, settings):
    assert "certificates-registry-daily" in settings.CELERY_BEAT_SCHEDULE
    result = registry_daily_task.delay().get()
    assert set(result) == {"certificates", "sent", "refreshed"}

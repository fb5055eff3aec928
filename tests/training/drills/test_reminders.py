"""Drill reminders: due within 30 days and overdue, once per stage, to the enterprise's managers
and a digest to its village and lead department; the back office's live list of the same."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from directory.constants import AccountRole
from directory.models import Notification
from tests.factories import EnterpriseFactory, UserFactory
from tests.factories.drills import DrillRecordFactory
from training.drills.services.reminders import drill_reminders_send
from training.tasks import drill_reminders_send_task as reminders_task

MANAGER = AccountRole.ENTERPRISE_MANAGER
VILLAGE = AccountRole.VILLAGE_OFFICER
DEPT = AccountRole.DEPARTMENT_OFFICER


def inbox(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def send(day):
    return drill_reminders_send(today=day)


def test_nothing_before_the_30_day_window(accounts, town):
    assert send(datetime.date(2026, 11, 30)) == 0
    assert not Notification.objects.exists()


def test_due_stage_reminds_the_manager_and_digests_the_officers_once(accounts, town):
    assert send(datetime.date(2026, 12, 5)) == 3
    (message,) = inbox(accounts[MANAGER])
    # Sent by the enterprise's lead department, naming the enterprise, the drills and the date.
    assert message.title == "【经发办】演练即将到期：甲机械有限公司（2026年12月31日前）"
    assert message.body == (
        "【经发办】甲机械有限公司：以下演练尚未开展：疏散演练（待完成，截止日期：2026年12月31日）、"
        "综合或专项应急预案演练（待完成，截止日期：2026年12月31日）、"
        "消防演练（待完成，截止日期：2026年12月31日）。"
        "请于2026年12月31日前逐项组织演练，并在平台记录。"
    )
    assert message.link == "/drills/new/"
    unit_names = {VILLAGE: town["village_a"].name, DEPT: town["dept_a"].name}
    for role in (VILLAGE, DEPT):
        (digest,) = inbox(accounts[role])
        assert digest.title == "【镇安委办】演练即将到期：1 家企业（2026年12月31日前）"
        assert digest.body == (
            f"【镇安委办】{unit_names[role]}：1 家企业演练尚未完成："
            "甲机械有限公司：疏散演练、综合或专项应急预案演练、消防演练。"
            "请于2026年12月31日前督促上述企业开展演练并在平台记录。"
        )
        assert digest.link == reverse("drill_attention:index")
    # The same stage on later days: nothing again.
    assert send(datetime.date(2026, 12, 5)) == 0
    assert send(datetime.date(2026, 12, 20)) == 0


def test_overdue_stage_after_the_year_reminds_again_once(accounts, town):
    send(datetime.date(2026, 12, 5))
    assert send(datetime.date(2027, 1, 2)) == 3
    titles = [n.title for n in inbox(accounts[MANAGER])]
    assert titles == [
        "【经发办】演练即将到期：甲机械有限公司（2026年12月31日前）",
        "【经发办】演练已逾期：甲机械有限公司（完成时限2026年12月31日，已逾期）",
    ]
    overdue = inbox(accounts[MANAGER])[1].body
    assert overdue.startswith("【经发办】甲机械有限公司：以下演练已逾期：疏散演练（已逾期")
    assert overdue.endswith(
        "完成时限为2026年12月31日，现已逾期，请立即逐项组织演练，并在平台记录。"
    )
    assert send(datetime.date(2027, 1, 20)) == 0


def test_half_yearly_enterprise_is_reminded_for_the_first_half(accounts, town):
    town["ent_a"].is_fire_key_unit = True
    town["ent_a"].save()
    assert send(datetime.date(2026, 6, 10)) == 3
    assert send(datetime.date(2026, 7, 1)) == 3
    assert [n.title for n in inbox(accounts[MANAGER])] == [
        "【经发办】演练即将到期：甲机械有限公司（2026年6月30日前）",
        "【经发办】演练已逾期：甲机械有限公司（完成时限2026年6月30日，已逾期）",
    ]


def test_the_reminder_names_only_the_duties_still_open(accounts, town):
    """A gas-leak drill of the on-site plan meets neither the evacuation nor the fire duty (徐泾镇
    三年行动方案 第21条; 公安部61号令 第四十条) nor the comprehensive-or-special plan duty."""
    DrillRecordFactory(
        enterprise=town["ent_a"],
        date=datetime.date(2026, 3, 1),
        scenario="gas_leak",
        plan_type="special",
    )
    send(datetime.date(2026, 12, 5))
    (message,) = inbox(accounts[MANAGER])
    assert "疏散演练（待完成" in message.body and "消防演练（待完成" in message.body
    assert "综合或专项应急预案演练" not in message.body
    (digest,) = inbox(accounts[VILLAGE])
    assert "：甲机械有限公司：疏散演练、消防演练。" in digest.body


def test_a_held_drill_or_a_closed_enterprise_gets_no_reminder(accounts, town):
    DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(2026, 3, 1))
    assert send(datetime.date(2026, 12, 5)) == 0
    town["ent_a"].status = "closed"
    town["ent_a"].save()
    assert send(datetime.date(2027, 1, 5)) == 0


def test_officers_only_hear_of_their_own_enterprises(accounts, town):
    other_manager = UserFactory(username="manager-b", role=MANAGER, enterprise=town["ent_b"])
    send(datetime.date(2026, 12, 5))
    (digest,) = inbox(accounts[VILLAGE])
    assert "1 家企业演练尚未完成：甲机械有限公司：疏散演练、综合或专项应急预案演练、消防演练。" in (
        digest.body
    )
    assert len(inbox(other_manager)) == 1
    assert inbox(accounts[AccountRole.TOWN_OFFICE]) == []


def test_query_count_does_not_grow_with_enterprises(accounts, town):
    def queries_for(day):
        with CaptureQueriesContext(connection) as queries:
            send(day)
        return len(queries)

    small = queries_for(datetime.date(2026, 12, 5))
    for index in range(8):
        enterprise = EnterpriseFactory(village=town["village_a"], lead_department=town["dept_a"])
        UserFactory(username=f"m{index}", role=MANAGER, enterprise=enterprise)
    Notification.objects.all().delete()
    assert queries_for(datetime.date(2026, 12, 5)) == small


def test_the_task_runs_the_service_and_beat_schedules_it(accounts, town):
    assert reminders_task.delay("2026-12-05").get() == 3
    entry = settings.CELERY_BEAT_SCHEDULE["training-drill-reminders"]
    assert entry["task"] == reminders_task.name
    assert entry["task"] in app.tasks


@pytest.mark.parametrize(("role", "sees_a"), [(DEPT, True), (VILLAGE, True), (MANAGER, True)])
def test_back_office_lists_the_due_and_overdue_drills(
    client, accounts, town, time_machine, role, sees_a
):
    time_machine.move_to(timezone.make_aware(datetime.datetime(2026, 12, 5, 12)))
    client.force_login(accounts[role])
    response = client.get(reverse("drill_attention:index"))
    assert response.status_code == 200
    names = [row.enterprise_name for row in response.context["object_list"]]
    assert names == ["甲机械有限公司"]


def test_back_office_list_is_empty_outside_the_window(client, accounts, town, time_machine):
    time_machine.move_to(timezone.make_aware(datetime.datetime(2026, 10, 1, 12)))
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    response = client.get(reverse("drill_attention:index"))
    assert list(response.context["object_list"]) == []

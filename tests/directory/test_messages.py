"""Every reminder's words, read as a set (directory/messages.py): each names its sender, whom it is
about, what is missing in plain Chinese, the deadline as 2026年12月31日 and what to do."""

import datetime
import re

import pytest
from django.utils import timezone

from directory import messages
from reports.metrics.catalogue import CATALOGUE

DAY = datetime.date(2026, 12, 31)
# Latin letters left in a message are untranslated words (the values below hold none).
LATIN = re.compile(r"[A-Za-z]{2,}")

KINDS = {
    "coverage_hours": lambda: messages.coverage_reminder(
        metric_code="training_hours",
        sender="经发办",
        concerned="李四",
        deadline=DAY,
        required_hours=24,
        done_hours="12.0",
    ),
    "certificate_review": lambda: messages.certificate_review_due(
        sender="经发办",
        holder="张三",
        what="特种作业操作证",
        number="T001",
        deadline=DAY,
        days_left=30,
        authority="上海市应急管理局",
        window=60,
        hours=8,
    ),
    "certificate_expiry": lambda: messages.certificate_expiring(
        sender="经发办",
        holder="张三",
        what="特种作业操作证",
        number="T001",
        deadline=DAY,
        days_left=30,
        authority="上海市应急管理局",
    ),
    "drills_due": lambda: messages.drill_duties_open(
        sender="规建办",
        enterprise="甲机械有限公司",
        duties=["疏散演练"],
        deadline=DAY,
        overdue=False,
    ),
    "drills_digest": lambda: messages.drill_duties_digest(
        sender="镇安委办",
        unit="徐泾村",
        count=2,
        names="甲机械有限公司：疏散演练；乙建设有限公司：消防演练",
        deadline=DAY,
        overdue=False,
    ),
    "monthly_report": lambda: messages.monthly_report_due(
        unit="经发办", year=2026, month=12, deadline=DAY
    ),
    "session_invitation": lambda: messages.session_invitation(
        sender="经发办",
        person="赵厂长",
        title="主要负责人专题培训",
        starts_at=timezone.make_aware(datetime.datetime(2026, 12, 31, 9, 0)),
        place="镇政府三楼会议室",
        hours=4,
    ),
}
KINDS["session_online"] = lambda: messages.session_invitation(
    sender="经发办",
    person="赵厂长",
    title="主要负责人专题培训",
    starts_at=timezone.make_aware(datetime.datetime(2026, 12, 31, 9, 0)),
    place="",
    hours=4,
    online=True,
)
CONCERNED = {
    "session_online": "赵厂长",
    "coverage_hours": "李四",
    "certificate_review": "张三的特种作业操作证（证号 T001）",
    "certificate_expiry": "张三的特种作业操作证（证号 T001）",
    "drills_due": "甲机械有限公司",
    "drills_digest": "徐泾村",
    "monthly_report": "经发办",
    "session_invitation": "赵厂长",
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_message_names_sender_concerned_deadline_and_action(kind):
    message = KINDS[kind]()

    assert re.match(r"^【(经发办|规建办|镇安委办)】", message.title)
    assert message.body.startswith(message.title[: message.title.index("】") + 1])
    assert f"{CONCERNED[kind]}：" in message.body
    assert "2026年12月31日" in message.title and "请于2026年12月31日" in message.body
    assert message.body.endswith("。")
    assert not LATIN.findall(message.title + message.body), message.body


def test_the_hours_reminder_counts_the_hours_short_in_plain_words():
    message = KINDS["coverage_hours"]()

    assert message.body == (
        "【经发办】李四：本年度还差 12 学时（要求 24 学时，已完成 12 学时）。"
        "请于2026年12月31日前完成在线课程学习或参加培训班。"
    )


def test_a_lapsed_certificate_says_it_is_overdue_and_to_stop_at_once():
    message = messages.certificate_lapsed(
        sender="经发办",
        holder="张三",
        what="特种作业操作证",
        number="T001",
        since=datetime.date(2027, 3, 6),
        authority="上海市应急管理局",
        failed_twice=True,
    )

    assert (
        message.title
        == "【经发办】证书已失效：张三的特种作业操作证（完成时限2027年3月6日，已逾期）"
    )
    assert "自2027年3月6日起证书失效，原因：两次复审不合格" in message.body
    assert "现已逾期，请立即安排持证人停止该岗位作业" in message.body


@pytest.mark.parametrize("entry", [e for e in CATALOGUE if e.action_link], ids=lambda e: e.code)
def test_every_metric_that_reminds_has_its_own_plain_words(entry):
    message = messages.coverage_reminder(
        metric_code=entry.code, sender="镇安委办", concerned="甲机械有限公司", deadline=DAY
    )

    assert entry.code in messages._COVERAGE_MISSING
    assert str(entry.label) not in message.body and "/" not in message.body
    assert not LATIN.findall(message.title + message.body), message.body

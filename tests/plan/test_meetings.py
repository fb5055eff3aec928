"""Dispatch meetings: the town office records a meeting with its decisions; a decision marked as
a task becomes one (source: dispatch meeting, plan item, lead unit, deadline) in the same
transaction, linked back to its decision, and its unit is told. One bad row writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from directory.constants import AccountRole
from directory.models import Notification
from plan.meetings import services
from plan.meetings.services import DecisionInput
from plan.models import DispatchMeeting, MeetingDecision, Task, TaskSource
from tests.factories.directory import UserFactory
from tests.factories.plan import DispatchMeetingFactory, PlanItemFactory, TaskFactory

R = AccountRole


@pytest.fixture
def item(db):
    return PlanItemFactory(code="五(六)", part="五", text="建立工作任务清单")


def _meeting_post(town, item, rows):
    data = {
        "held_on": "2026-06-05",
        "place": "镇政府三楼会议室",
        "chair": "王镇长",
        "attending_departments": [town["dept_a"].pk, town["dept_b"].pk],
        "attending_villages": [town["village_a"].pk],
        "attendee_names": "李科长",
        "summary": "部署安全生产月工作",
        "decisions-TOTAL_FORMS": str(len(rows)),
        "decisions-INITIAL_FORMS": "0",
    }
    for index, row in enumerate(rows):
        data.update({f"decisions-{index}-{key}": value for key, value in row.items()})
    return data


def test_a_meeting_with_a_decision_becoming_a_task(client, accounts, town, item):
    client.force_login(accounts[R.TOWN_OFFICE])
    form = client.get(reverse("meetings:create")).content.decode()
    assert f'<option value="{item.pk}" selected>' in form  # 五(六) offered first
    rows = [
        {
            "text": "各村居6月底前完成消防演练",
            "make_task": "on",
            "plan_item": item.pk,
            "lead_unit": f"village:{town['village_a'].pk}",
            "deadline": "2026-06-30",
            "title": "徐泾村消防演练",
        },
        {"text": "经发办通报培训进度"},
        {},
    ]
    response = client.post(reverse("meetings:create"), _meeting_post(town, item, rows))
    meeting = DispatchMeeting.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "meetings:detail", args=[meeting.pk]
    )
    assert meeting.chair == "王镇长" and meeting.attending_departments.count() == 2
    first, second = meeting.decisions.all()
    assert second.task is None and second.text == "经发办通报培训进度"
    task = first.task
    assert task.source == TaskSource.MEETING and task.plan_item == item
    assert task.title == "徐泾村消防演练" and task.deadline == datetime.date(2026, 6, 30)
    assert [(u.village, u.role) for u in task.units.all()] == [(town["village_a"], "lead")]
    assert task.meeting_decision == first
    note = Notification.objects.get(recipient=accounts[R.VILLAGE_OFFICER])
    assert "2026年6月5日调度会交办任务：徐泾村消防演练" in note.title
    assert "2026年6月30日" in note.body
    assert not Notification.objects.filter(recipient=accounts[R.DEPARTMENT_OFFICER]).exists()
    page = client.get(response.url).content.decode()
    assert "徐泾村消防演练" in page and "五(六)" in page and "2026年6月30日" in page


def test_a_bad_decision_row_writes_nothing_and_names_the_row(client, accounts, town, item):
    client.force_login(accounts[R.TOWN_OFFICE])
    rows = [
        {
            "text": "规建办牵头排查工地",
            "make_task": "on",
            "plan_item": item.pk,
            "lead_unit": f"department:{town['dept_b'].pk}",
            "deadline": "2026-07-31",
        },
        {
            "text": "无牵头单位的任务",
            "make_task": "on",
            "plan_item": item.pk,
            "deadline": "2026-07-31",
        },
        {
            "text": "会前截止",
            "make_task": "on",
            "plan_item": item.pk,
            "lead_unit": f"department:{town['dept_a'].pk}",
            "deadline": "2026-06-01",
        },
    ]
    response = client.post(reverse("meetings:create"), _meeting_post(town, item, rows))
    html = response.content.decode()
    assert response.status_code == 200
    assert "第2条决定事项：请选择一个牵头单位（部门或村居）。" in html
    assert "第3条决定事项：完成时限早于会议日期。" in html
    assert not DispatchMeeting.objects.exists()
    assert not MeetingDecision.objects.exists() and not Task.objects.exists()
    assert not Notification.objects.exists()


def test_adding_decisions_is_one_transaction_too(accounts, town, item):
    meeting = DispatchMeetingFactory()
    good = DecisionInput(
        text="经发办牵头培训",
        make_task=True,
        plan_item=item,
        department=town["dept_a"],
        deadline=datetime.date(2026, 9, 30),
    )
    bad = DecisionInput(text="  ", row=2)
    with pytest.raises(ValidationError) as caught:
        services.meeting_decisions_add(
            user=accounts[R.TOWN_OFFICE], meeting=meeting, decisions=[good, bad]
        )
    assert caught.value.messages == ["第2条决定事项：决定事项为空。"]
    assert not Task.objects.exists() and not meeting.decisions.exists()
    made = services.meeting_decisions_add(
        user=accounts[R.TOWN_OFFICE], meeting=meeting, decisions=[good]
    )
    assert made == 1
    assert Task.objects.get().key == f"DM{meeting.pk}-1"


def test_only_the_town_office_records_meetings(client, accounts, town, item):
    with pytest.raises(Exception) as caught:
        services.dispatch_meeting_record(
            user=accounts[R.DEPARTMENT_OFFICER],
            held_on=datetime.date(2026, 6, 5),
            place="会议室",
            chair="王镇长",
            decisions=[],
        )
    assert caught.type.__name__ == "PermissionDenied"
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    assert client.get(reverse("meetings:create")).status_code in (302, 403)
    client.post(reverse("meetings:create"), _meeting_post(town, item, [{"text": "x"}]))
    assert not DispatchMeeting.objects.exists()


def test_a_unit_sees_the_decisions_assigned_to_it_only(client, accounts, town, item):
    meeting = services.dispatch_meeting_record(
        user=accounts[R.TOWN_OFFICE],
        held_on=datetime.date(2026, 6, 5),
        place="会议室",
        chair="王镇长",
        decisions=[
            DecisionInput(
                text="经发办牵头培训",
                make_task=True,
                plan_item=item,
                department=town["dept_a"],
                deadline=datetime.date(2026, 9, 30),
            ),
            DecisionInput(
                text="规建办牵头排查",
                make_task=True,
                plan_item=item,
                department=town["dept_b"],
                deadline=datetime.date(2026, 8, 31),
            ),
            DecisionInput(text="只记录不交办"),
        ],
    )
    TaskFactory(title="不相干的任务")
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    mine = client.get(reverse("meetings:index")).content.decode()
    assert "经发办牵头培训" in mine and "规建办牵头排查" not in mine and "只记录不交办" not in mine
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "经发办牵头培训" in detail and "规建办牵头排查" not in detail
    assert 'name="decisions-TOTAL_FORMS"' not in detail
    outsider = UserFactory(role=R.VILLAGE_OFFICER, village=town["village_b"])
    client.force_login(outsider)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert "经发办牵头培训" not in client.get(reverse("meetings:index")).content.decode()
    client.force_login(accounts[R.ENTERPRISE_MANAGER])
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code in (302, 404)
    client.force_login(accounts[R.TOWN_OFFICE])
    listing = client.get(reverse("meetings:index")).content.decode()
    assert "2026年6月5日" in listing and "会议室" in listing


def test_a_failure_while_writing_rolls_back_every_row(accounts, town, item):
    meeting = DispatchMeetingFactory()
    TaskFactory(key=f"DM{meeting.pk}-2")  # the second decision's task number is taken
    rows = [
        DecisionInput(
            text=f"第{n}项",
            make_task=True,
            plan_item=item,
            department=town["dept_a"],
            deadline=datetime.date(2026, 9, 30),
        )
        for n in (1, 2)
    ]
    with pytest.raises(IntegrityError):
        services.meeting_decisions_add(
            user=accounts[R.TOWN_OFFICE], meeting=meeting, decisions=rows
        )
    assert Task.objects.count() == 1 and not meeting.decisions.exists()
    assert not Notification.objects.exists()

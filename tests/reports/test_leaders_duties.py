"""The town leaders' own duties (plan item 一(一)1): the centre group's yearly study and the
principal leaders' quarterly safety meeting, each period done / due / overdue; the town
office's page and home line agree; other roles see neither."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from reports.selectors.home import todo_lines
from tests.factories.sessions import TrainingSessionFactory
from training.models import SessionKind
from training.sessions.selectors.duties import DutyStatus, leaders_duties, leaders_duties_open

YEAR = 2026
TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER


def at(month, day=10, hour=9, year=YEAR):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


def held(accounts, kind, when, title=None):
    return TrainingSessionFactory(
        kind=kind,
        title=title or f"{kind}",
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        created_by=accounts[TOWN],
    )


def statuses(user, year=YEAR, now=None):
    return [(p.kind, p.label, p.status) for p in leaders_duties(user=user, year=year, now=now)]


@pytest.fixture
def meetings(accounts):
    """Q1 meeting held 10 February; Q2 none; Q3 meeting 30 September (last day of the quarter,
    late evening: the local day counts); a Q4 meeting planned for 10 December; the centre group
    not yet studied; last year's study does not count."""
    held(accounts, SessionKind.LEADERS_MEETING, at(2))
    held(accounts, SessionKind.LEADERS_MEETING, at(9, 30, hour=22))
    held(accounts, SessionKind.LEADERS_MEETING, at(12))
    held(accounts, SessionKind.CENTRE_GROUP, at(11, year=YEAR - 1))
    # Another kind in Q2 does not meet the duty.
    held(accounts, SessionKind.FIRE, at(5))


def test_each_period_done_due_or_overdue(accounts, meetings):
    now = at(11, 20, hour=12)
    assert statuses(accounts[TOWN], now=now) == [
        (SessionKind.CENTRE_GROUP, f"{YEAR}年", DutyStatus.DUE),
        (SessionKind.LEADERS_MEETING, f"{YEAR}年第1季度", DutyStatus.DONE),
        (SessionKind.LEADERS_MEETING, f"{YEAR}年第2季度", DutyStatus.OVERDUE),
        (SessionKind.LEADERS_MEETING, f"{YEAR}年第3季度", DutyStatus.DONE),
        # The planned December meeting has not taken place: the quarter is still due.
        (SessionKind.LEADERS_MEETING, f"{YEAR}年第4季度", DutyStatus.DUE),
    ]
    assert leaders_duties_open(user=accounts[TOWN], now=now) == 3


def test_the_year_over_everything_not_held_is_overdue(accounts, meetings):
    now = at(1, 15, year=YEAR + 1)
    result = dict(
        ((kind, label), status) for kind, label, status in statuses(accounts[TOWN], now=now)
    )
    assert result[(SessionKind.CENTRE_GROUP, f"{YEAR}年")] == DutyStatus.OVERDUE
    assert result[(SessionKind.LEADERS_MEETING, f"{YEAR}年第4季度")] == DutyStatus.DONE
    held(accounts, SessionKind.CENTRE_GROUP, at(12, 28))
    assert statuses(accounts[TOWN], now=now)[0][2] == DutyStatus.DONE


def test_periods_not_begun_are_not_listed(accounts):
    now = at(2, 1)
    assert statuses(accounts[TOWN], now=now) == [
        (SessionKind.CENTRE_GROUP, f"{YEAR}年", DutyStatus.DUE),
        (SessionKind.LEADERS_MEETING, f"{YEAR}年第1季度", DutyStatus.DUE),
    ]
    assert statuses(accounts[TOWN], year=YEAR + 1, now=now) == []


@pytest.mark.parametrize(
    "role",
    [DEPT, AccountRole.VILLAGE_OFFICER, AccountRole.ENTERPRISE_MANAGER],
)
def test_only_the_town_office_sees_them(client, accounts, meetings, role):
    assert leaders_duties(user=accounts[role], year=YEAR) == []
    client.force_login(accounts[role])
    # Wagtail answers a refusal by sending the user back to the dashboard.
    response = client.get(reverse("session_leaders_duties"))
    assert response.status_code in (302, 403)
    assert "duties" not in response.content.decode()


def test_page_and_home_line_agree(client, accounts, meetings, time_machine):
    time_machine.move_to(at(11, 20, hour=12))
    client.force_login(accounts[TOWN])
    body = client.get(reverse("session_leaders_duties") + f"?year={YEAR}").content.decode()
    assert "待完成: 3" in body
    assert body.count('class="duty-overdue"') == 1
    assert body.count('class="duty-done"') == 2
    assert "镇党委政府理论学习中心组安全生产专题学习" in body
    now = timezone.now()
    [line] = [
        line
        for line in todo_lines(accounts[TOWN], today=timezone.localdate(now), now=now)
        if line.key == "leaders_duties_open"
    ]
    assert line.count == 3
    assert line.url == reverse("session_leaders_duties")
    dept_lines = todo_lines(accounts[DEPT], today=timezone.localdate(now), now=now)
    assert "leaders_duties_open" not in [line.key for line in dept_lines]


def test_no_home_line_when_every_duty_is_done(accounts, time_machine):
    time_machine.move_to(at(2, 20, hour=12))
    held(accounts, SessionKind.LEADERS_MEETING, at(1, 15))
    held(accounts, SessionKind.CENTRE_GROUP, at(2, 1))
    now = timezone.now()
    keys = [line.key for line in todo_lines(accounts[TOWN], today=timezone.localdate(now), now=now)]
    assert "leaders_duties_open" not in keys


def local(year, month, day, hour, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def test_a_study_late_on_new_years_eve_counts_for_that_year_in_shanghai(accounts):
    # 1 January 00:30 in Shanghai is still 31 December in UTC: it belongs to the new year.
    held(accounts, SessionKind.CENTRE_GROUP, local(YEAR + 1, 1, 1, 0, 30))
    now = local(YEAR + 1, 1, 2, 9)
    assert statuses(accounts[TOWN], now=now)[0][2] == DutyStatus.OVERDUE
    assert statuses(accounts[TOWN], year=YEAR + 1, now=now)[0][2] == DutyStatus.DONE
    held(accounts, SessionKind.CENTRE_GROUP, local(YEAR, 12, 31, 23, 30))
    assert statuses(accounts[TOWN], now=now)[0][2] == DutyStatus.DONE


def test_a_quarter_is_due_to_its_last_minute_and_overdue_from_the_next_local_day(accounts):
    def q1(now):
        return dict(((label, status) for _k, label, status in statuses(accounts[TOWN], now=now)))

    assert q1(local(YEAR, 3, 31, 23, 59))[f"{YEAR}年第1季度"] == DutyStatus.DUE
    # 1 April 00:00 in Shanghai is 31 March 16:00 UTC: the first quarter is over.
    after = q1(local(YEAR, 4, 1, 0, 0))
    assert after[f"{YEAR}年第1季度"] == DutyStatus.OVERDUE
    assert after[f"{YEAR}年第2季度"] == DutyStatus.DUE
    # A meeting on the quarter's last evening counts for that quarter, not the next.
    held(accounts, SessionKind.LEADERS_MEETING, local(YEAR, 3, 31, 23, 30))
    after = q1(local(YEAR, 4, 1, 0, 0))
    assert after[f"{YEAR}年第1季度"] == DutyStatus.DONE
    assert after[f"{YEAR}年第2季度"] == DutyStatus.DUE

"""Each role's back-office home (the "to do" panel on /admin/) and the back-office menus it sees."""

import datetime
import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.constants import AccountRole
from tests.factories.certificates import special_certificate
from tests.factories.directory import EnterpriseFactory, PersonFactory
from tests.factories.drills import DrillRecordFactory
from tests.factories.sessions import TrainingSessionFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 10)

LINES = {
    AccountRole.ENTERPRISE_MANAGER: {
        "hours_short",
        "certificates_expiring",
        "certification_gaps",
        "drills_due",
        "sessions_to_confirm",
    },
    AccountRole.DEPARTMENT_OFFICER: {
        "coverage_below_target",
        "drills_due",
        "reviews_waiting",
        "sessions_to_confirm",
        "report_due",
        # The task list's (plan.progress.home).
        "tasks_overdue",
        "task_progress_missing",
    },
    AccountRole.VILLAGE_OFFICER: {
        "coverage_below_target",
        "drills_due",
        "reviews_waiting",
        "report_due",
        "tasks_overdue",
        "task_progress_missing",
    },
    AccountRole.TOWN_OFFICE: {
        "coverage_below_target",
        "units_overdue",
        "reviews_waiting",
        "sessions_to_confirm",
        "tasks_overdue",
    },
    AccountRole.EDITOR: {"drafts", "in_moderation", "next_campaign"},
}


def _home(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def _lines(html: str) -> dict[str, tuple[int, str]]:
    """key -> (count, link) of the "to do" panel."""
    rows = re.findall(
        r'<tr data-todo="([a-z_]+)">\s*<td class="title"><a href="([^"]+)">.*?</a></td>\s*'
        r'<td data-count="[a-z_]+">(\d+)</td>',
        html,
        re.S,
    )
    return {key: (int(count), url.replace("&amp;", "&")) for key, url, count in rows}


def _menu(html: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The sidebar's menu groups (labels) and its links (name, url), submenus included."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    groups, links = [], []

    def walk(node):
        if isinstance(node, dict):
            args = node.get("_args")
            if node.get("_type") == "wagtail.sidebar.SubMenuItem":
                groups.append(args[0]["label"])
            elif node.get("_type") == "wagtail.sidebar.LinkMenuItem":
                links.append((args[0]["name"], args[0]["url"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props.group(1)))
    return groups, links


@pytest.fixture
def busy_town(town, accounts):
    """Something to do on the "a" side: an ended session of the enterprise not confirmed, a drill
    record waiting for review, a special operator whose card expires within the month."""
    TrainingSessionFactory(
        organiser_enterprise=town["ent_a"],
        organiser_department=None,
        starts_at=timezone.make_aware(datetime.datetime(2026, 6, 1, 9, 0)),
    )
    TrainingSessionFactory(
        organiser_department=town["dept_a"],
        starts_at=timezone.make_aware(datetime.datetime(2026, 6, 2, 9, 0)),
    )
    DrillRecordFactory(enterprise=town["ent_a"])
    DrillRecordFactory(enterprise=town["ent_b"])
    operator = town["person_a"]
    operator.is_special_operator = True
    operator.save()
    special_certificate(operator, first_issued_on=datetime.date(2020, 6, 20))
    return town


@pytest.mark.parametrize("role", list(LINES))
def test_each_role_sees_its_own_lines_and_their_links_answer(client, busy_town, accounts, role):
    with time_machine.travel(datetime.datetime(2026, 6, 10, 10, 0), tick=False):
        lines = _lines(_home(client, accounts[role]))
        assert set(lines) == LINES[role]
        for key, (_count, url) in lines.items():
            assert client.get(url).status_code == 200, (key, url)


def test_the_counts_come_from_the_small_town(client, busy_town, accounts):
    with time_machine.travel(datetime.datetime(2026, 6, 10, 10, 0), tick=False):
        manager = _lines(_home(client, accounts[AccountRole.ENTERPRISE_MANAGER]))
        dept = _lines(_home(client, accounts[AccountRole.DEPARTMENT_OFFICER]))
        village = _lines(_home(client, accounts[AccountRole.VILLAGE_OFFICER]))
        town_office = _lines(_home(client, accounts[AccountRole.TOWN_OFFICE]))
    assert manager["sessions_to_confirm"][0] == 1
    # 张三 has no hours credited this year.
    assert manager["hours_short"][0] == 1
    assert manager["certificates_expiring"][0] == 1
    assert dept["sessions_to_confirm"][0] == 1
    assert dept["reviews_waiting"][0] == 1
    assert dept["report_due"][0] == 1
    assert village["reviews_waiting"][0] == 1
    assert town_office["reviews_waiting"][0] == 2
    assert town_office["sessions_to_confirm"][0] == 2
    # Four departments and villages, none has sent June's report; due on the 25th.
    assert town_office["units_overdue"][0] == 4


def test_the_panel_speaks_chinese(client, busy_town, accounts):
    html = _home(client, accounts[AccountRole.ENTERPRISE_MANAGER])
    assert "待办" in html and "学时未达标人员" in html and "持证上岗" in html


def test_learner_has_no_todo_panel(client, accounts):
    client.force_login(accounts[AccountRole.LEARNER])
    response = client.get("/admin/")
    assert 'data-todo="' not in response.content.decode()


@pytest.mark.parametrize(
    "role", [r for r in LINES if r not in (AccountRole.TOWN_OFFICE, AccountRole.EDITOR)]
)
def test_officers_and_managers_get_no_page_search(client, busy_town, accounts, role):
    html = _home(client, accounts[role])
    assert 'role="search"' not in html


# Queries of /admin/ per role on the small town (session, menus and the role's lines); the same
# whatever the number of enterprises, people, sessions or records.
QUERY_BOUND = {
    AccountRole.ENTERPRISE_MANAGER: 22,
    # Each unit's task lines (overdue tasks, missing progress) read one query each.
    AccountRole.DEPARTMENT_OFFICER: 33,
    AccountRole.VILLAGE_OFFICER: 27,
    AccountRole.TOWN_OFFICE: 44,
    AccountRole.EDITOR: 30,
}


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", list(LINES))
def test_home_query_count_is_bounded(client, busy_town, accounts, role):
    assert _queries(client, accounts[role]) <= QUERY_BOUND[role]


def test_home_queries_do_not_grow_with_the_town(client, busy_town, accounts):
    user = accounts[AccountRole.TOWN_OFFICE]
    _queries(client, user)  # the first request after signing in also writes the session
    before = _queries(client, user)
    for _ in range(3):
        enterprise = EnterpriseFactory(
            village=busy_town["village_a"], lead_department=busy_town["dept_a"]
        )
        PersonFactory(employer=enterprise)
        DrillRecordFactory(enterprise=enterprise)
        TrainingSessionFactory(organiser_department=busy_town["dept_b"])
    assert _queries(client, user) == before


WAGTAIL_REPORTS = {"locked-pages", "workflows", "site-history", "page-types-usage"}
COVERAGE_LINKS = {"coverage-dashboard", "monthly-reports"}


@pytest.mark.parametrize("role", list(LINES))
def test_menu_items_appear_once_and_only_where_they_mean_something(client, accounts, role):
    groups, links = _menu(_home(client, accounts[role]))
    urls = [url for _name, url in links]
    assert len(urls) == len(set(urls)), sorted(u for u in urls if urls.count(u) > 1)
    assert len(groups) == len(set(groups)), groups
    names = {name for name, _url in links}
    wagtail_reports = role in (AccountRole.TOWN_OFFICE, AccountRole.EDITOR)
    assert bool(names & WAGTAIL_REPORTS) == wagtail_reports
    assert ("统计报表" in groups) == wagtail_reports
    has_dashboard = role in (
        AccountRole.TOWN_OFFICE,
        AccountRole.DEPARTMENT_OFFICER,
        AccountRole.VILLAGE_OFFICER,
    )
    assert (names & COVERAGE_LINKS == COVERAGE_LINKS) == has_dashboard
    # Wagtail's reports never sit under 覆盖率, and the editor has no 覆盖率 menu.
    assert ("覆盖率" in groups) == (
        role != AccountRole.EDITOR and has_dashboard or role == AccountRole.TOWN_OFFICE
    )

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
from directory.models import Notification
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
        "units_lagging",
        "drills_due",
        "reviews_waiting",
        "sessions_to_confirm",
        "report_due",
        # The task list's (plan.progress.home).
        "tasks_overdue",
        "task_progress_missing",
        "follow_ups_to_answer",
    },
    AccountRole.VILLAGE_OFFICER: {
        "coverage_below_target",
        "units_lagging",
        "drills_due",
        "reviews_waiting",
        "report_due",
        "tasks_overdue",
        "task_progress_missing",
        "follow_ups_to_answer",
    },
    AccountRole.TOWN_OFFICE: {
        "coverage_below_target",
        "units_overdue",
        "reviews_waiting",
        "sessions_to_confirm",
        "tasks_overdue",
        "follow_ups_to_close",
        "leaders_duties_open",
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


# The roles whose home shows this month's figures.
FIGURE_ROLES = [
    AccountRole.ENTERPRISE_MANAGER,
    AccountRole.DEPARTMENT_OFFICER,
    AccountRole.VILLAGE_OFFICER,
    AccountRole.TOWN_OFFICE,
]

# Queries of /admin/ per role on the small town (session, menus and the role's lines); the same
# whatever the number of enterprises, people, sessions or records.
QUERY_BOUND = {
    # + one query per metric of the principals' duties shown on the home's figures.
    AccountRole.ENTERPRISE_MANAGER: 32,
    # + the follow-up orders line; + a unit's task lines (overdue tasks, missing progress),
    # one query each; + the town's overdue tasks; + the publicity reach metric (one query);
    # + one query per metric of the principals' duties; + the cadres' course (one query, none
    # in an enterprise's scope); + the lagging line's snapshot read (reports.selectors.lagging).
    AccountRole.DEPARTMENT_OFFICER: 46,
    AccountRole.VILLAGE_OFFICER: 40,
    # + the town leaders' duties line (its sessions of the year, one query).
    AccountRole.TOWN_OFFICE: 49,
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


@pytest.mark.parametrize("role", FIGURE_ROLES)
def test_home_queries_do_not_grow_with_the_town(client, busy_town, accounts, role):
    user = accounts[role]
    _queries(client, user)  # the first request after signing in also writes the session
    before = _queries(client, user)
    for _ in range(3):
        enterprise = EnterpriseFactory(
            village=busy_town["village_a"], lead_department=busy_town["dept_a"]
        )
        PersonFactory(employer=enterprise)
        PersonFactory(employer=busy_town["ent_a"])
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


# --- this month's figures and the enterprises lagging -------------------------------------------


def _figures(html: str) -> dict[str, tuple[int, str, str]]:
    """key -> (count not covered, link, the figure's text) of the figures panel."""
    rows = re.findall(
        r'<tr data-figure="([a-z_]+)">\s*<td class="title"><a href="([^"]+)">.*?</a></td>\s*'
        r"<td>(.*?)</td>.*?<td data-count=\"[a-z_]+\"><a [^>]*>(\d+)</a></td>",
        html,
        re.S,
    )
    return {key: (int(count), url, figure.strip()) for key, url, figure, count in rows}


def _listed(client, url: str, marker: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    found = re.search(rf'{marker}="(\d+)"', response.content.decode())
    assert found, url
    return int(found.group(1))


@pytest.mark.parametrize("role", FIGURE_ROLES)
def test_each_figure_counts_what_its_list_shows(client, busy_town, accounts, role):
    with time_machine.travel(datetime.datetime(2026, 6, 10, 10, 0), tick=False):
        figures = _figures(_home(client, accounts[role]))
        assert "figure_training_hours" in figures
        for key, (count, url, figure) in figures.items():
            assert _listed(client, url, "data-uncovered-count") == count, key
            done, total = (int(n) for n in re.match(r"(\d+) / (\d+)", figure).groups())
            assert total - done == count, key


def test_the_managers_figures_are_its_enterprises(client, busy_town, accounts):
    with time_machine.travel(datetime.datetime(2026, 6, 10, 10, 0), tick=False):
        html = _home(client, accounts[AccountRole.ENTERPRISE_MANAGER])
    figures, lines = _figures(html), _lines(html)
    # 张三 alone works for 甲: short of hours, one of one; no inspectors or member units here.
    assert figures["figure_training_hours"][2].startswith("0 / 1 ")
    assert figures["figure_training_hours"][0] == lines["hours_short"][0]
    assert not {"figure_inspector_training", "figure_criteria_study"} & set(figures)
    # The town's figures count 李四 of 乙 as well.
    with time_machine.travel(datetime.datetime(2026, 6, 10, 10, 0), tick=False):
        town_figures = _figures(_home(client, accounts[AccountRole.TOWN_OFFICE]))
    assert town_figures["figure_training_hours"][2].startswith("0 / 2 ")
    assert "figure_inspector_training" in town_figures


def test_the_manager_reads_the_list_behind_a_figure_but_reminds_nobody(client, busy_town, accounts):
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    url = "/admin/reports/coverage/training_hours/uncovered/"
    # A link asking for another unit is ignored: the manager's scope is its enterprise.
    page = client.get(url + f"?department={busy_town['dept_b'].pk}").content.decode()
    assert "张三" in page and "李四" not in page
    assert "提醒" not in page
    # Refused (Wagtail sends a refused admin request home) and nobody reminded.
    assert client.post(url)["Location"] == "/admin/"
    assert not Notification.objects.exists()
    assert client.get("/admin/reports/coverage/")["Location"] == "/admin/"
    assert client.get("/admin/reports/coverage/lagging/")["Location"] == "/admin/"


@pytest.mark.parametrize("role", [AccountRole.DEPARTMENT_OFFICER, AccountRole.VILLAGE_OFFICER])
def test_enterprises_lagging_are_counted_and_listed_with_what_they_lack(
    client, busy_town, accounts, role
):
    with time_machine.travel(datetime.datetime(2026, 6, 10, 10, 0), tick=False):
        count, url = _lines(_home(client, accounts[role]))["units_lagging"]
        page = client.get(url).content.decode()
    # 甲 (the "a" side) is short of hours (its drill is held); 乙 is not the officer's.
    assert count == 1
    assert re.search(r'data-lagging-count="(\d+)"', page).group(1) == "1"
    assert "甲机械有限公司" in page and "乙建设有限公司" not in page
    lacks = set(re.findall(r'data-lack="([a-z_]+)"', page))
    assert "training_hours" in lacks and "drill_coverage" not in lacks
    assert "学时" in page


def test_an_enterprise_that_meets_every_target_does_not_lag(busy_town):
    from reports.metrics import Scope
    from reports.selectors.lagging import lacks_by_enterprise

    today = datetime.date(2026, 6, 10)
    scope = Scope(village_id=busy_town["village_a"].pk)
    with time_machine.travel(datetime.datetime(2026, 6, 10, 10, 0), tick=False):
        before = lacks_by_enterprise(scope=scope, year=2026, month=6, today=today)
    assert busy_town["ent_a"].pk in before
    # Without targets, no figure says anything about one enterprise.
    from reports.models import Target

    Target.objects.all().delete()
    with time_machine.travel(datetime.datetime(2026, 6, 10, 10, 0), tick=False):
        assert lacks_by_enterprise(scope=scope, year=2026, month=6, today=today) == {}


# --- the lists behind the other lines: the same number -------------------------------------------


@pytest.fixture
def pages_at_work(db, accounts):
    """A draft never published, and a page sent for review through the town's workflow."""
    from wagtail.models import Page

    from content import publishing
    from content.models import HomePage, NewsIndexPage

    workflow = publishing.publishing_setup()
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="徐泾镇安全生产", slug="xujing-home"))
    home.save_revision().publish()
    draft = home.add_child(instance=NewsIndexPage(title="新闻草稿", slug="news-draft", live=False))
    draft.save_revision()
    review = home.add_child(instance=NewsIndexPage(title="待审新闻", slug="news-review"))
    review.save_revision(user=accounts[AccountRole.EDITOR])
    workflow.start(review, accounts[AccountRole.EDITOR])
    return draft, review


def test_the_editors_lines_count_what_their_lists_show(client, pages_at_work, accounts):
    draft, review = pages_at_work
    lines = _lines(_home(client, accounts[AccountRole.EDITOR]))
    count, url = lines["drafts"]
    assert count >= 2  # the draft and the page in review (its edits are not published)
    page = client.get(url).content.decode()
    assert re.search(r'data-drafts-count="(\d+)"', page).group(1) == str(count)
    assert draft.title in page and review.title in page
    count, url = lines["in_moderation"]
    assert count == 1
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == count
    assert review.title in response.content.decode()


def test_the_town_offices_units_and_a_units_report_due_match_the_monthly_list(
    client, busy_town, accounts
):
    with time_machine.travel(datetime.datetime(2026, 6, 10, 10, 0), tick=False):
        count, url = _lines(_home(client, accounts[AccountRole.TOWN_OFFICE]))["units_overdue"]
        page = client.get(url).content.decode()
        assert re.search(r'data-units-count="(\d+)"', page).group(1) == str(count)
        for role in (AccountRole.DEPARTMENT_OFFICER, AccountRole.VILLAGE_OFFICER):
            count, url = _lines(_home(client, accounts[role]))["report_due"]
            page = client.get(url).content.decode()
            assert re.search(r'data-report-due="(\d)"', page).group(1) == str(count)
            assert "2026年6月25日" in page
    # After the 25th, the units late.
    with time_machine.travel(datetime.datetime(2026, 6, 27, 10, 0), tick=False):
        count, url = _lines(_home(client, accounts[AccountRole.TOWN_OFFICE]))["units_overdue"]
        page = client.get(url).content.decode()
        assert count == 4
        assert re.search(r'data-units-count="(\d+)"', page).group(1) == "4"


@pytest.mark.parametrize("role", list(LINES))
def test_every_menu_item_a_role_sees_opens_for_it(client, busy_town, accounts, role):
    """Shown only to roles that can use it: no menu link answers "no permission" or sends home."""
    _groups, links = _menu(_home(client, accounts[role]))
    assert len(links) >= 3
    refused = []
    for name, url in links:
        if not url.startswith("/"):
            continue
        response = client.get(url)
        if response.status_code != 200:
            refused.append((name, url, response.status_code, response.get("Location")))
    assert not refused


def test_the_dashboard_leads_to_the_enterprises_lagging_of_a_narrower_scope(
    client, busy_town, accounts
):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    with time_machine.travel(datetime.datetime(2026, 6, 10, 10, 0), tick=False):
        html = client.get(f"/admin/reports/coverage/?village={busy_town['village_b'].pk}")
        url = re.search(r'href="(/admin/reports/coverage/lagging/\?[^"]+)"', html.content.decode())
        page = client.get(url.group(1).replace("&amp;", "&")).content.decode()
    assert "乙建设有限公司" in page and "甲机械有限公司" not in page

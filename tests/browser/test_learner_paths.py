"""A learner on a phone: 我的考试 is in the header and one tap away; the unread badge is a small
round count, not a tall pill; the 学时 column header of 我的学习 stays on one line."""

import datetime
from decimal import Decimal

import pytest

from directory.constants import AccountRole
from directory.models import Notification
from tests.browser.conftest import log_in
from tests.factories.learning import StudyHourEntryFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_learner_finds_my_exams_from_the_header_on_a_phone(live_server, phone, accounts, town):
    learner = accounts[AccountRole.LEARNER]
    for n in range(3):
        Notification.objects.create(recipient=learner, key=f"test:{n}", title=f"通知{n}")
    StudyHourEntryFactory(
        person=town["person_a"],
        date=datetime.date.today(),
        hours=Decimal("12.5"),
        training_name="有限空间作业安全培训（车间级）及事故案例警示教育",
    )
    log_in(phone, live_server, "learner", next_url="/me/")
    width = phone.viewport_size["width"]

    link = phone.locator(".site-nav a[data-nav=my-exams]")
    assert link.is_visible() and link.inner_text() == "我的考试"
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] >= 44

    badge = phone.locator(".site-nav .badge")
    assert badge.inner_text() == "3"
    badge_box = badge.bounding_box()
    assert badge_box["height"] <= 24, badge_box  # was the nav link's 44px line: a tall pill
    assert badge_box["width"] <= badge_box["height"] * 1.5, badge_box

    link.click()
    phone.wait_for_url(f"{live_server.url}/exams/")
    assert phone.inner_text("h1") == "我的考试"
    assert phone.evaluate("document.documentElement.scrollWidth") <= width

    for url in ("/learning/", "/dossiers/me/"):
        phone.goto(f"{live_server.url}{url}")
        headers = phone.locator("th.num")
        assert headers.count() >= 1, url
        for index in range(headers.count()):
            lines = headers.nth(index).evaluate(
                "th => { const r = document.createRange(); r.selectNodeContents(th);"
                " return r.getClientRects().length; }"
            )
            assert lines == 1, (url, headers.nth(index).inner_text())
    phone.goto(f"{live_server.url}/learning/")
    assert phone.locator(".quick-links a[data-link=my-exams]").is_visible()


def test_learners_own_pages_have_no_serious_accessibility_violations(
    live_server, phone, accounts, town
):
    from axe_playwright_python.sync_playwright import Axe

    from tests.factories.exams import ExamFactory

    ExamFactory(kind="contest", title="2026年安全生产月知识竞赛")
    StudyHourEntryFactory(person=town["person_a"], date=datetime.date.today())
    log_in(phone, live_server, "learner", next_url="/me/")
    axe, problems = Axe(), {}
    for path in ("/me/", "/me/data/", "/learning/", "/exams/"):
        phone.goto(f"{live_server.url}{path}")
        assert phone.locator(".site-nav a[data-nav=contest]").is_visible(), path
        violations = axe.run(phone).response["violations"]
        serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
        if serious:
            problems[path] = serious
    assert not problems, problems

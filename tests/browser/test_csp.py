"""The strict Content Security Policy holds in a real browser: every front-office page each role
opens loads with no violation (no inline style or script is refused, so nothing silently lacks
its look or behaviour), and the house sheet is applied (a missing sheet changes computed styles)."""

import pytest

from tests.browser.conftest import log_in
from tests.factories.exams import ExamFactory, PaperFactory, QuestionBankFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PUBLIC = ["/", "/news/", "/search/?q=安全", "/verify/", "/accounts/login/", "/no-such-page/"]
LEARNER = [
    "/me/",
    "/me/data/",
    "/me/messages/",
    "/me/certificates/",
    "/learning/",
    "/dossiers/me/",
    "/exams/",
    "/sessions/",
]
MANAGER = ["/me/", "/drills/", "/drills/new/", "/learning/enterprise/"]
OFFICERS = ["/me/", "/me/messages/"]


def violations_collector(page):
    """Chromium reports each refused resource, inline style or script on the console."""
    seen = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            seen.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return seen


def visit(page, live_server, paths):
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status < 500, path
        page.wait_for_load_state("networkidle")


def test_front_office_pages_of_every_role_load_without_a_csp_violation(
    live_server, browser, seeded_site, accounts, town
):
    ExamFactory(paper=PaperFactory(bank=QuestionBankFactory(single=2), score="50"))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen = violations_collector(page)

    visit(page, live_server, PUBLIC)
    headers = page.goto(f"{live_server.url}/").headers
    policy = headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))  # in no fixed order
    assert directives["style-src"] == "'self'" and directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy

    log_in(page, live_server, "learner")
    visit(page, live_server, LEARNER)
    page.goto(f"{live_server.url}/exams/")
    page.click("text=开始或继续答题")
    page.wait_for_selector("[data-exam-attempt]")
    for username, paths in [("manager", MANAGER), ("town", OFFICERS), ("dept", OFFICERS)]:
        context.clear_cookies()
        log_in(page, live_server, username)
        visit(page, live_server, paths)
    context.close()
    assert seen == [], "\n".join(seen)


def test_a_refused_inline_style_is_reported(live_server, browser, accounts):
    """The collector above sees a violation when there is one (a style attribute set as markup)."""
    page = browser.new_page()
    seen = violations_collector(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    page.wait_for_timeout(200)
    page.close()
    assert len(seen) == 1 and "style-src" in seen[0]


def test_the_house_sheet_styles_the_pages(live_server, browser, accounts):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")

    def style(selector, prop):
        return page.eval_on_selector(
            selector, f"e => getComputedStyle(e).getPropertyValue('{prop}')"
        )

    assert "PingFang SC" in style("body", "font-family")
    assert style("body", "background-color") == "rgb(245, 247, 250)"
    assert style("body", "color") == "rgb(31, 41, 51)"
    assert style(".site-header", "background-color") == "rgb(11, 95, 138)"
    assert style("main", "max-width") == "768px"
    assert style(".button", "background-color") == "rgb(11, 95, 138)"
    assert style(".field input", "min-height") == "44px"
    # A page's own sheet comes on top of the house sheet.
    log_in(page, live_server, "manager", next_url="/drills/new/")
    assert style("#signature-pad", "touch-action") == "none"
    page.close()

"""Wagtail's admin under its own policy (settings.CSP_ADMIN_DIRECTIVES, docs/security.md): the
back-office pages our staff use load in a real browser with no CSP violation, the page editor's
preview included."""

import pytest
from wagtail.models import Page

from directory.constants import AccountRole
from tests.browser.conftest import log_in
from tests.browser.test_csp import violations_collector, visit
from tests.factories import UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ADMIN = [
    "/admin/",
    "/admin/pages/",
    "/admin/registry/people/",
    "/admin/registry/enterprises/new/",
    "/admin/registry/imports/",
    "/admin/drills/records/new/",
    "/admin/drills/calendar/",
    "/admin/training/sessions/new/",
    "/admin/exams/exams/new/",
    "/admin/exams/questions/new/",
    "/admin/learning/ledger/",
    "/admin/images/",
    "/admin/documents/",
]


def test_admin_pages_load_without_a_csp_violation(live_server, browser, seeded_site, town):
    UserFactory(
        username="root",
        email="root@example.com",  # Wagtail would show a gravatar.com avatar for it
        role=AccountRole.TOWN_OFFICE,
        is_superuser=True,
        is_staff=True,
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen = violations_collector(page)
    log_in(page, live_server, "root", next_url="/admin/")
    visit(page, live_server, ADMIN)
    policy = page.goto(f"{live_server.url}/admin/").headers["content-security-policy"]
    assert "frame-ancestors 'self'" in policy

    article = Page.objects.filter(depth=4).live().first().specific
    visit(page, live_server, [f"/admin/pages/{article.pk}/edit/"])
    visit(page, live_server, [f"/admin/pages/{article.get_parent().pk}/edit/"])
    page.close()
    assert seen == [], "\n".join(seen)

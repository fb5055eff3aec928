"""axe-core on back-office screens the menu crawl does not reach in that state: a list showing the
success message of a save, and the drill calendar with drills in it."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from directory.constants import AccountRole
from directory.models import Village
from tests.browser.conftest import log_in
from tests.factories import UserFactory
from tests.factories.content import wagtail_roots_restore

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['html'][:160]}"
        f" {v['nodes'][0].get('failureSummary', '')[:300]})"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_a_list_with_its_success_message_passes_axe(live_server, desktop):
    wagtail_roots_restore()
    UserFactory(username="town", role=AccountRole.TOWN_OFFICE)
    log_in(desktop, live_server, "town")
    desktop.goto(f"{live_server.url}/admin/registry/villages/new/")
    desktop.fill("input[name=name]", "新建村")
    desktop.locator("form[method=post] button[type=submit]").last.click()
    desktop.wait_for_load_state()
    assert Village.objects.filter(name="新建村").exists()
    message = desktop.locator(".messages .success")
    message.wait_for()
    assert "新建村" in message.inner_text()
    # Wagtail fades the message in: judge its colours once it is fully shown, as it is read.
    opaque = """(m) => {
        for (let e = m; e; e = e.parentElement) {
            if (getComputedStyle(e).opacity !== "1") return false;
        }
        return document.getAnimations().every((a) => a.playState !== "running");
    }"""
    for _attempt in range(50):
        if message.evaluate(opaque):
            break
        desktop.wait_for_timeout(100)
    assert _serious(desktop) == []


def test_the_drill_calendar_passes_axe(live_server, desktop):
    from tests.factories import EnterpriseFactory
    from tests.factories.drills import DrillRecordFactory

    wagtail_roots_restore()
    UserFactory(username="town", role=AccountRole.TOWN_OFFICE)
    today = timezone.localdate()
    enterprise = EnterpriseFactory()
    for day in (1, 8, 15):
        DrillRecordFactory(enterprise=enterprise, date=datetime.date(today.year, today.month, day))
    log_in(desktop, live_server, "town")
    desktop.goto(f"{live_server.url}/admin/drills/calendar/")
    assert desktop.locator("table, .calendar").count() > 0
    assert _serious(desktop) == []


def test_the_page_editors_rich_text_box_is_named_and_passes_axe(live_server, desktop):
    """Draftail's text box has no accessible name of its own: admin_labels.js names it after
    its field's label, and axe finds nothing serious on the editor."""
    from content import publishing
    from tests.factories.content import CampaignIndexPageFactory, home_site_make

    # The campaign index: its introduction is a rich text field, shown without adding a block.
    campaigns = CampaignIndexPageFactory(parent=home_site_make())
    publishing.publishing_setup()
    UserFactory(username="editor", role=AccountRole.EDITOR)
    log_in(desktop, live_server, "editor", next_url=f"/admin/pages/{campaigns.pk}/edit/")
    assert f"/admin/pages/{campaigns.pk}/edit/" in desktop.url
    box = desktop.locator(".public-DraftEditor-content[role=textbox]").first
    box.wait_for()
    desktop.wait_for_function(
        "() => [...document.querySelectorAll('[role=textbox]')].every("
        "(box) => box.getAttribute('aria-label') || box.getAttribute('aria-labelledby'))"
    )
    assert box.get_attribute("aria-label") or box.get_attribute("aria-labelledby")
    assert _serious(desktop) == []

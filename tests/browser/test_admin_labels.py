"""The text box Wagtail's tag field builds in the browser is named after its field's label."""

import pytest

from tests.browser.conftest import log_in
from tests.factories import UserFactory
from tests.factories.content import wagtail_roots_restore

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_tag_box_on_the_video_form_has_the_fields_label(live_server, desktop):
    wagtail_roots_restore()  # the collection root, after an earlier committing test's flush
    UserFactory(username="su", is_superuser=True, is_staff=True)
    log_in(desktop, live_server, "su")
    desktop.goto(f"{live_server.url}/admin/media/video/add/")
    box = desktop.locator("input.ui-autocomplete-input")
    box.wait_for()
    desktop.wait_for_function(
        "() => document.querySelector('input.ui-autocomplete-input').getAttribute('aria-label')"
    )
    assert box.get_attribute("aria-label") == "标签"

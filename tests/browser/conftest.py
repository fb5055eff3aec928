"""A real browser (Debian's chromium driven by Playwright) against the live test server."""

import io
import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not os.path.exists(CHROMIUM):
    pytest.skip(
        "chromium is not installed (apt-get install chromium fonts-wqy-zenhei)",
        allow_module_level=True,
    )

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="session")
def playwright_instance():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def phone(browser, playwright_instance):
    context = browser.new_context(**playwright_instance.devices["iPhone 13"], locale="en-US")
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    yield context.new_page()
    context.close()


@pytest.fixture
def seeded_site(settings, tmp_path):
    """The demo content, with media served as `make run` serves them (HTTP Range)."""
    from content.demo import content_seed
    from tests.factories.content import wagtail_roots_restore

    settings.MEDIA_ROOT = str(tmp_path / "media")
    # The live server answers MEDIA_URL itself, without Range; another prefix reaches our view.
    settings.MEDIA_URL = "/uploads/"
    settings.ROOT_URLCONF = "tests.browser.urls_with_media"
    wagtail_roots_restore()
    content_seed(stdout=io.StringIO())


def log_in(page, live_server, username, next_url=""):
    page.goto(f"{live_server.url}/accounts/login/{'?next=' + next_url if next_url else ''}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()

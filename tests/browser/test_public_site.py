"""The public site in a real browser: search in Chinese, and a video that plays and seeks."""

import io

import pytest
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page

from content.demo import content_seed
from content.models import CriteriaPage

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded_site(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # The live server answers MEDIA_URL itself, without Range; another prefix reaches our view.
    settings.MEDIA_URL = "/uploads/"
    settings.ROOT_URLCONF = "tests.browser.urls_with_media"
    # The locale and the roots of the page and collection trees come from Wagtail's
    # migrations; a transactional test's flush removed them.
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    content_seed(stdout=io.StringIO())


def test_a_visitor_searches_in_chinese_on_a_phone(live_server, phone, seeded_site):
    phone.goto(f"{live_server.url}/")
    phone.fill("input[name=q]", "燃气")
    phone.press("input[name=q]", "Enter")
    phone.wait_for_load_state()
    first = phone.locator(".search-results li").first
    assert "燃气" in first.inner_text()
    assert first.locator("mark").first.inner_text() == "燃气"


def test_the_explanation_video_plays_and_seeks(live_server, desktop, seeded_site):
    page = next(
        p for p in CriteriaPage.objects.live() if any(b.block_type == "video" for b in p.body)
    )
    desktop.goto(f"{live_server.url}{page.url}")
    video = desktop.locator("video").first
    if not video.evaluate("v => v.canPlayType('video/mp4; codecs=\"avc1.42E01E, mp4a.40.2\"')"):
        pytest.skip("this chromium build plays no H.264")
    duration = video.evaluate(
        """v => new Promise((done, fail) => {
            if (v.readyState >= 1) return done(v.duration);
            v.addEventListener('loadedmetadata', () => done(v.duration));
            v.addEventListener('error', () => fail(v.error && v.error.code));
            v.load();
        })"""
    )
    assert duration == pytest.approx(5.0, abs=0.3)
    # Seeking far into the file needs the server to answer Range requests with 206.
    position = video.evaluate(
        """v => new Promise((done) => {
            v.addEventListener('seeked', () => done(v.currentTime), {once: true});
            v.currentTime = 4;
        })"""
    )
    assert position == pytest.approx(4.0, abs=0.5)

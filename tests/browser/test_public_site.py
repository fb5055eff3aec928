"""The public site in a real browser: search in Chinese, and a video that plays and seeks."""

import pytest

from content.models import CriteriaPage

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


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

"""Online learning in a real browser: a learner on a phone plays an assigned lesson to the end."""

import datetime
from decimal import Decimal

import pytest

from content.demo_data import DEMO_VIDEO_TITLE
from content.models import HomePage, Video
from directory.constants import AccountRole
from tests.browser.conftest import log_in
from tests.factories.content import CourseIndexPageFactory, CoursePageFactory, LessonPageFactory
from training.learning.services.assignments import assignment_create
from training.models import HourSource, StudyHourEntry

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_learner_plays_an_assigned_lesson_and_gets_the_hours(
    live_server, phone, seeded_site, accounts, town, settings
):
    # The demo clip lasts 5 seconds: report every second, complete at half of it.
    settings.LEARNING_HEARTBEAT_SECONDS = 1
    settings.LEARNING_COMPLETION_SHARE = 0.5
    # A lesson credits at most its video's length; with 学时 of 6 seconds the clip holds 0.8,
    # so the half a 学时 below is within it (45-minute 学时 would give this clip none).
    settings.STUDY_HOUR_MINUTES = 0.1
    home = HomePage.objects.get()
    course = CoursePageFactory(
        parent=CourseIndexPageFactory(parent=home), title="有限空间作业安全", open_enrolment=False
    )
    video = Video.objects.get(title=DEMO_VIDEO_TITLE)
    LessonPageFactory(
        parent=course, title="第一课 识别有限空间", video=video, study_hours=Decimal("0.5")
    )
    assignment_create(
        user=accounts[AccountRole.TOWN_OFFICE],
        course=course,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
        people=[town["person_a"]],
    )

    log_in(phone, live_server, "learner", next_url="/learning/")
    assert "有限空间作业安全" in phone.inner_text("main")
    phone.click("text=开始学习: 第一课 识别有限空间")
    phone.wait_for_selector("[data-lesson-player] video")
    video_el = phone.locator("video").first
    if not video_el.evaluate("v => v.canPlayType('video/mp4; codecs=\"avc1.42E01E, mp4a.40.2\"')"):
        pytest.skip("this chromium build plays no H.264")
    video_el.evaluate("v => { v.muted = true; return v.play(); }")
    phone.wait_for_selector("text=本课已学完，学时已计入。", timeout=30_000)

    entry = StudyHourEntry.objects.get(person=town["person_a"])
    assert entry.source == HourSource.ONLINE_LESSON and entry.hours == Decimal("0.5")
    phone.goto(f"{live_server.url}/learning/")
    assert phone.inner_text("[data-hours-credited]") == "0.5"
    assert "已完成 1 / 1 课" in phone.inner_text("main")
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]

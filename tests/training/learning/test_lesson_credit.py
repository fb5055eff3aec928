"""What completing a lesson credits: never more than the lesson's content holds.

A 学时 is 45 minutes (regulations.md §2, the setting STUDY_HOUR_MINUTES). A video lesson holds
its video's length, rounded down to the tenth the ledger keeps; a reading lesson holds its typed
hours, which the learner must spend on the page. The cap is applied when the hours are credited,
so lessons saved before it (or whose video was replaced by a shorter one) credit the cap too.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from content.models import LessonPage
from directory.constants import AccountRole
from tests.factories.content import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    VideoFactory,
    home_site_make,
)
from training.learning.services.study import lesson_heartbeat
from training.models import HourSource, LessonProgress, StudyHourEntry

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock_rules(settings):
    settings.STUDY_HOUR_MINUTES = 45
    settings.LEARNING_MAX_CREDIT_SECONDS = 40
    settings.LEARNING_COMPLETION_SHARE = 0.9


@pytest.fixture
def course(db):
    return CoursePageFactory(parent=CourseIndexPageFactory(parent=home_site_make()))


def study_to_the_end(person, lesson) -> int:
    """Play the lesson through the server's clock, 15 s a report, until it completes; the
    seconds it took."""
    at, seq = 0, 1
    result = lesson_heartbeat(
        person=person, lesson=lesson, position=0, watched=0, session="s", seq=seq, now=T0
    )
    while not result.completed:
        at, seq = at + 15, seq + 1
        result = lesson_heartbeat(
            person=person,
            lesson=lesson,
            position=at,
            watched=15,
            session="s",
            seq=seq,
            now=T0 + datetime.timedelta(seconds=at),
        )
        assert at < 6 * 3600, "the lesson never completed"
    return at


def saved_before_the_rule(lesson: LessonPage, hours: str) -> LessonPage:
    """The lesson as an editor could save it before the cap: hours written past clean()."""
    LessonPage.objects.filter(pk=lesson.pk).update(study_hours=Decimal(hours))
    return LessonPage.objects.get(pk=lesson.pk)


def test_a_five_second_clip_credits_at_most_its_five_seconds(client, accounts, town, course):
    """5 seconds are 0.002 学时: rounded down to the ledger's tenth, nothing is credited."""
    clip = LessonPageFactory(
        parent=course, video=VideoFactory(duration=5), study_hours=Decimal("0")
    )
    assert clip.study_hours == Decimal("0.0") and clip.credit_hours() == Decimal("0.0")
    person = town["person_a"]

    assert study_to_the_end(person, clip) == 15
    assert LessonProgress.objects.get(person=person, lesson=clip).completed_at is not None
    assert not StudyHourEntry.objects.filter(person=person).exists()
    client.force_login(accounts[AccountRole.LEARNER])
    html = client.get(clip.url).content.decode()
    assert "本课时长不足 0.1 学时，不计学时" in html and "学时已计入" not in html


def test_a_clip_saved_with_half_a_study_hour_before_the_rule_credits_nothing(town, course):
    """The demo's old figure: a 5-second clip typed as 0.5 学时."""
    clip = LessonPageFactory(
        parent=course, video=VideoFactory(duration=5), study_hours=Decimal("0")
    )
    clip = saved_before_the_rule(clip, "0.5")
    assert clip.credit_hours() == Decimal("0.0")

    study_to_the_end(town["person_a"], clip)
    assert not StudyHourEntry.objects.filter(person=town["person_a"]).exists()


def test_a_lesson_saved_over_its_video_credits_the_video_length(client, accounts, town, course):
    """A 10-minute video holds 0.22 学时: typed 2.0 before the rule, it credits 0.2 -- in the
    ledger, the back office's ledger screen, the course page and the learner's hours."""
    lesson = LessonPageFactory(
        parent=course,
        title="第一课 动火作业",
        video=VideoFactory(duration=600),
        study_hours=Decimal("0.2"),
    )
    lesson = saved_before_the_rule(lesson, "2.0")
    person = town["person_a"]

    # 90% of the 10 minutes, and not a second less: the typed hours buy no extra time either.
    assert study_to_the_end(person, lesson) == 540
    entry = StudyHourEntry.objects.get(person=person)
    assert entry.source == HourSource.ONLINE_LESSON and entry.hours == Decimal("0.2")
    assert entry.lesson_id == lesson.pk

    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    html = client.get(reverse("study_hours:index")).content.decode()
    assert "第一课 动火作业" in html and "0.2" in html
    assert course.total_hours() == Decimal("0.2")
    html = client.get(course.url).content.decode()
    assert "0.2 学时" in html and "2.0 学时" not in html


def test_a_video_replaced_by_a_shorter_one_credits_the_new_length(town, course):
    lesson = LessonPageFactory(
        parent=course, video=VideoFactory(duration=45 * 60), study_hours=Decimal("1.0")
    )
    lesson.video.duration = 20 * 60  # 0.44 学时
    lesson.video.save()
    lesson = LessonPage.objects.get(pk=lesson.pk)

    study_to_the_end(town["person_a"], lesson)
    assert StudyHourEntry.objects.get(person=town["person_a"]).hours == Decimal("0.4")


def test_a_reading_lesson_credits_its_hours_after_that_time_on_the_page(town, course):
    """A reading lesson has no length to measure: it holds what the editor typed, and the
    learner's clock must run that long (90% of 0.5 × 45 minutes) before it is credited."""
    reading = LessonPageFactory(parent=course, video=None, study_hours=Decimal("0.5"))
    assert reading.study_hours_cap() is None and reading.credit_hours() == Decimal("0.5")

    assert study_to_the_end(town["person_a"], reading) == 1215
    assert StudyHourEntry.objects.get(person=town["person_a"]).hours == Decimal("0.5")

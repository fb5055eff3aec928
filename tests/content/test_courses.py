"""Courses and lessons: the page tree, the hours a lesson credits, what a reader sees."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from content.models import (
    CourseIndexPage,
    CoursePage,
    CriteriaPage,
    HomePage,
    LessonPage,
)
from content.models.courses import study_hours_error
from directory.constants import AccountRole
from tests.factories import UserFactory
from tests.factories.content import (
    CourseIndexPageFactory,
    CoursePageFactory,
    CriteriaIndexPageFactory,
    CriteriaPageFactory,
    LessonPageFactory,
    VideoFactory,
    home_site_make,
)


class TestCourseTree(WagtailPageTestCase):
    def test_catalogue_under_the_home_page_courses_under_it_lessons_under_courses(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage})
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertCanCreateAt(HomePage, CourseIndexPage)
        self.assertCanNotCreateAt(HomePage, LessonPage)
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertCanNotCreateAt(Page, CoursePage)


@pytest.fixture
def course(db):
    home = home_site_make()
    index = CourseIndexPageFactory(parent=home)
    return CoursePageFactory(parent=index, title="有限空间作业安全")


def test_lessons_in_tree_order_live_only(course):
    first = LessonPageFactory(parent=course, title="第一课")
    second = LessonPageFactory(parent=course, title="第二课")
    draft = LessonPageFactory(parent=course, title="草稿课", live=False)
    assert list(course.lessons()) == [first, second]
    second.move(first, pos="left")
    assert [lesson.title for lesson in course.lessons()] == ["第二课", "第一课"]
    assert draft not in course.lessons()
    assert course.total_hours() == Decimal("2.0")


def test_study_hours_from_the_video_length_when_left_at_zero(settings, course):
    settings.STUDY_HOUR_MINUTES = 45
    lesson = LessonPage(title="视频课", slug="video", video=VideoFactory(duration=50 * 60))
    lesson.clean()
    # 50 minutes are 1.11 学时 of 45 minutes: rounded down to the tenth, never above the video.
    assert lesson.study_hours == Decimal("1.1")
    assert lesson.required_seconds() == 3000


OVER_THE_CLIP = (
    "学时：视频时长 0:05，最多可计 0.0 学时（1 学时 = 45 分钟）。"
    "请填写不超过 0.0 的学时，或选择更长的视频。"
)


@pytest.mark.parametrize(
    ("seconds", "typed", "allowed"),
    [
        (5, "0.5", False),  # the old demo: a 5-second clip typed as half a 学时
        (5, "0.1", False),
        (10 * 60, "0.2", True),  # 10 minutes hold 0.22 学时
        (10 * 60, "0.3", False),
        (45 * 60, "1.0", True),  # exactly one 学时 of 45 minutes (regulations.md §2)
        (45 * 60 - 1, "1.0", False),
    ],
)
def test_a_video_lesson_may_not_credit_more_than_its_video_lasts(
    settings, course, seconds, typed, allowed
):
    settings.STUDY_HOUR_MINUTES = 45
    video = VideoFactory(duration=seconds)
    error = study_hours_error(video=video, hours=Decimal(typed))
    assert (error is None) == allowed
    lesson = LessonPage(title="视频课", slug="video", video=video, study_hours=Decimal(typed))
    # Whatever was saved, completing it credits no more than the video holds.
    assert lesson.credit_hours() == min(Decimal(typed), lesson.study_hours_cap())
    assert lesson.credit_hours() * 45 * 60 <= seconds


def test_the_message_names_the_field_the_video_length_and_the_most_it_holds(settings, course):
    settings.STUDY_HOUR_MINUTES = 45
    error = study_hours_error(video=VideoFactory(duration=5), hours=Decimal("0.5"))
    assert error == OVER_THE_CLIP


def test_a_reading_lesson_or_an_unmeasured_video_keeps_its_typed_hours(course):
    assert study_hours_error(video=None, hours=Decimal("8.0")) is None
    assert study_hours_error(video=VideoFactory(duration=0), hours=Decimal("8.0")) is None
    lesson = LessonPage(title="阅读课", slug="reading", study_hours=Decimal("8.0"))
    assert lesson.study_hours_cap() is None and lesson.credit_hours() == Decimal("8.0")


def test_a_clip_shorter_than_a_tenth_left_at_zero_credits_nothing(course):
    lesson = LessonPage(title="短片", slug="clip", video=VideoFactory(duration=5))
    lesson.clean()
    assert lesson.study_hours == Decimal("0.0") and lesson.credit_hours() == Decimal("0.0")
    # The learner still watches the whole clip.
    assert lesson.required_seconds() == 5


def _lesson_form(video, hours: str) -> dict:
    return nested_form_data(
        {
            "title": "第一课 识别有限空间",
            "slug": "confined-space",
            "video": video.pk,
            "study_hours": hours,
            "body": streamfield([]),
            "comments": inline_formset([]),
        }
    )


def test_the_editor_saving_too_many_hours_is_told_so_in_the_back_office(client, course):
    client.force_login(UserFactory(role=AccountRole.EDITOR, is_superuser=True))
    clip = VideoFactory(duration=5)
    add = reverse("wagtailadmin_pages:add", args=("content", "lessonpage", course.pk))

    response = client.post(add, _lesson_form(clip, "0.5"))
    assert response.status_code == 200
    assert OVER_THE_CLIP in response.content.decode()
    assert not LessonPage.objects.filter(slug="confined-space").exists()

    response = client.post(add, _lesson_form(clip, "0"))
    assert response.status_code == 302
    assert LessonPage.objects.get(slug="confined-space").study_hours == Decimal("0.0")


def test_a_lesson_saved_over_its_video_before_the_rule_is_refused_when_edited(client, course):
    lesson = LessonPageFactory(
        parent=course, video=VideoFactory(duration=600), study_hours=Decimal("0.2")
    )
    LessonPage.objects.filter(pk=lesson.pk).update(study_hours=Decimal("2.0"))
    client.force_login(UserFactory(role=AccountRole.EDITOR, is_superuser=True))
    edit = reverse("wagtailadmin_pages:edit", args=(lesson.pk,))

    data = _lesson_form(lesson.video, "2.0")
    data["slug"] = lesson.slug
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "视频时长 10:00，最多可计 0.2 学时" in response.content.decode()
    # What it credits meanwhile is the cap, shown as such on the course page.
    assert LessonPage.objects.get(pk=lesson.pk).credit_hours() == Decimal("0.2")
    assert course.total_hours() == Decimal("0.2")


def test_lesson_without_video_must_give_its_hours(course):
    lesson = LessonPage(title="阅读课", slug="reading")
    with pytest.raises(ValidationError) as error:
        lesson.clean()
    assert "study_hours" in error.value.message_dict
    lesson.study_hours = Decimal("0.5")
    lesson.clean()
    # A reading lesson's length is its hours: half a 学时 of 45 minutes.
    assert lesson.required_seconds() == 45 * 30


def test_course_page_lists_lessons_hours_and_cited_criteria(client, course):
    criteria_index = CriteriaIndexPageFactory(parent=course.get_parent().get_parent())
    standard = CriteriaPageFactory(parent=criteria_index, title="工贸企业重大事故隐患判定标准")
    course.criteria.add(standard)
    course.hazard_items = [("hazard_item", {"criteria": standard, "number": "3.1"})]
    course.save_revision().publish()
    # 90 minutes of video hold 2.0 学时: the 1.5 typed stand.
    LessonPageFactory(
        parent=course,
        title="第一课",
        video=VideoFactory(duration=90 * 60),
        study_hours=Decimal("1.5"),
    )
    response = client.get(course.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "第一课" in html and "1.5" in html
    assert "工贸企业重大事故隐患判定标准" in html
    assert f"{standard.url}#item-3-1" in html
    assert list(CriteriaPage.objects.get(pk=standard.pk).courses.all()) == [course]


def test_lesson_page_shows_video_and_course(client, course):
    lesson = LessonPageFactory(parent=course, title="第一课")
    response = client.get(lesson.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<video" in html and "有限空间作业安全" in html

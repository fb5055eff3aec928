"""Courses and lessons: the page tree, the hours a lesson credits, what a reader sees."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from content.models import (
    CourseIndexPage,
    CoursePage,
    CriteriaPage,
    HomePage,
    LessonPage,
)
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
    # 50 minutes are 1.11 学时 of 45 minutes: rounded up to the tenth.
    assert lesson.study_hours == Decimal("1.2")
    assert lesson.required_seconds() == 3000


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
    LessonPageFactory(parent=course, title="第一课", study_hours=Decimal("1.5"))
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

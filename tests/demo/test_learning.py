"""seed_demo's learning: a catalogue, an assigned course the demo learner sees, last year's hours."""

from decimal import Decimal

import pytest
from django.urls import reverse

from content.models import CoursePage, LessonPage
from directory.models import User
from training.models import CourseAssignment, Enrolment, HourSource, StudyHourEntry

pytestmark = pytest.mark.django_db


def test_demo_learning_reaches_the_demo_learner(client, demo_town):
    course = CoursePage.objects.get(slug="annual-retraining")
    lessons = list(course.lessons())
    assert len(lessons) == 2 and lessons[0].video is not None
    assert course.criteria.exists()
    assert LessonPage.objects.live().count() == 4
    # Every demo lesson credits what it holds: the 5-second clip nothing, the reading lessons
    # their typed hours (regulations.md §2: a 学时 is 45 minutes).
    for lesson in LessonPage.objects.live().select_related("video"):
        cap = lesson.study_hours_cap()
        assert cap is None or lesson.study_hours <= cap, lesson.title
        assert lesson.credit_hours() == lesson.study_hours
    assert course.total_hours() == Decimal("0.5")
    assert CoursePage.objects.get(slug="fire-safety-basics").total_hours() == Decimal("0.5")
    learner = User.objects.get(username="learner")
    assert Enrolment.objects.filter(person__account=learner, course=course).exists()
    assert CourseAssignment.objects.count() == 1
    history = StudyHourEntry.objects.filter(source=HourSource.IMPORTED)
    assert history.exists()

    client.force_login(learner)
    html = client.get(reverse("learning:mine")).content.decode()
    assert "从业人员年度安全再培训" in html and "消防安全常识" in html
    assert client.get(lessons[0].url).status_code == 200

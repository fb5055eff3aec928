"""我的学习: the learner's courses, where to continue, hours against the requirement, history."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from directory.constants import AccountRole
from tests.factories.content import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    home_site_make,
)
from tests.factories.learning import LessonProgressFactory, StudyHourEntryFactory
from training.learning.services.assignments import assignment_create
from training.models import Enrolment, HourSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(db):
    index = CourseIndexPageFactory(parent=home_site_make())
    assigned = CoursePageFactory(parent=index, title="有限空间作业安全", open_enrolment=False)
    open_course = CoursePageFactory(parent=index, title="消防安全常识", open_enrolment=True)
    lessons = [LessonPageFactory(parent=assigned, title=f"第{i}课") for i in (1, 2)]
    return {"assigned": assigned, "open": open_course, "lessons": lessons}


def test_my_learning_shows_assigned_course_progress_hours_and_history(
    client, accounts, town, courses, django_assert_max_num_queries
):
    person = town["person_a"]
    person.hire_date = datetime.date(2019, 1, 1)
    person.save()
    assignment_create(
        user=accounts[AccountRole.TOWN_OFFICE],
        course=courses["assigned"],
        due_date=datetime.date(2020, 6, 30),
        people=[person],
    )
    first, second = courses["lessons"]
    LessonProgressFactory(person=person, lesson=first, completed_at="2025-01-01T00:00Z")
    LessonProgressFactory(person=person, lesson=second, position_seconds=90)
    today = datetime.date.today()
    StudyHourEntryFactory(
        person=person, source=HourSource.ONLINE_LESSON, lesson=first, hours=Decimal("1"), date=today
    )
    StudyHourEntryFactory(
        person=person,
        hours=Decimal("4"),
        date=datetime.date(today.year - 1, 3, 1),
        training_name="2024年度再培训",
    )
    client.force_login(accounts[AccountRole.LEARNER])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("learning:mine"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "有限空间作业安全" in html and "已逾期" in html
    assert "已完成 1 / 2 课" in html
    assert "继续学习" in html and "第2课" in html
    assert "差 7.0 学时" in html or "差 7 学时" in html
    assert "2024年度再培训" in html
    # The open course is offered; enrolling puts it among my courses.
    assert "消防安全常识" in html
    response = client.post(reverse("learning:enrol", args=[courses["open"].pk]))
    assert response.status_code == 302
    assert Enrolment.objects.filter(person=person, course=courses["open"]).exists()


def test_enrolling_in_a_closed_course_is_refused(client, accounts, courses):
    client.force_login(accounts[AccountRole.LEARNER])
    response = client.post(reverse("learning:enrol", args=[courses["assigned"].pk]))
    assert response.status_code == 403
    assert not Enrolment.objects.exists()


def test_course_page_offers_enrolment_and_then_progress(client, accounts, courses):
    client.force_login(accounts[AccountRole.LEARNER])
    html = client.get(courses["open"].url).content.decode()
    assert reverse("learning:enrol", args=[courses["open"].pk]) in html
    html = client.get(courses["assigned"].url).content.decode()
    assert "仅限被指派的学员" in html


def test_account_without_registry_person_is_told_so(client, accounts):
    client.force_login(accounts[AccountRole.EDITOR])
    assert "尚未关联" in client.get(reverse("learning:mine")).content.decode()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("learning:mine"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

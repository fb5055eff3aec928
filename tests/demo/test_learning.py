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


def test_demo_cadres_owe_their_course_and_a_second_run_adds_none(demo_town):
    import io

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from directory.models import Person
    from reports.metrics import Scope, metric_get
    from reports.models import ExemplaryEnterprise
    from reports.selectors.coverage import measure_of
    from training.learning.demo import learning_seed

    cadres = Person.objects.filter(is_cadre=True)
    assert cadres.filter(department__isnull=True, village__isnull=True).count() == 3
    assert cadres.filter(department__isnull=False).exists()
    assert cadres.filter(village__isnull=False).exists()
    assert not cadres.filter(employer__isnull=False).exists()
    metric = metric_get("cadre_training")
    year = max(StudyHourEntry.objects.filter(person__in=cadres).dates("date", "year")).year
    measure = measure_of(metric, metric.items(scope=Scope(), year=year), 12)
    assert measure.denominator == cadres.count() and 0 < measure.numerator < measure.denominator
    assert not ExemplaryEnterprise.objects.filter(reasons="").exists()

    with CaptureQueriesContext(connection) as queries:
        learning_seed(stdout=io.StringIO())
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []

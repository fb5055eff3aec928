"""Assignments: who may assign what to whom; learners' enrolments; the back-office screens."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from directory.constants import AccountRole, EmploymentType, PersonRole
from tests.factories import PersonFactory
from tests.factories.content import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    home_site_make,
)
from training.learning.selectors.ledger import assignments_visible_to
from training.learning.services.assignments import (
    assignment_create,
    assignment_due_date_change,
    enrolment_join,
)
from training.learning.services.study import lesson_heartbeat
from training.models import CourseAssignment, Enrolment

pytestmark = pytest.mark.django_db
DUE = datetime.date(2025, 12, 31)
TOWN, DEPT, VILLAGE, MANAGER, LEARNER, EDITOR = (
    AccountRole.TOWN_OFFICE,
    AccountRole.DEPARTMENT_OFFICER,
    AccountRole.VILLAGE_OFFICER,
    AccountRole.ENTERPRISE_MANAGER,
    AccountRole.LEARNER,
    AccountRole.EDITOR,
)


@pytest.fixture
def course(db):
    index = CourseIndexPageFactory(parent=home_site_make())
    return CoursePageFactory(parent=index, title="有限空间作业安全", open_enrolment=False)


def enrolled(course):
    return set(Enrolment.objects.filter(course=course).values_list("person__name", flat=True))


def test_town_assigns_by_role_across_enterprises(accounts, town, course):
    for key in ("person_a", "person_b"):
        town[key].is_principal = True
        town[key].save()
    assignment = assignment_create(
        user=accounts[TOWN], course=course, due_date=DUE, role=PersonRole.PRINCIPAL
    )
    assert enrolled(course) == {"张三", "李四"}
    assert assignment.enrolled_count == 2
    assert set(Enrolment.objects.values_list("due_date", flat=True)) == {DUE}


def test_department_reaches_only_the_enterprises_it_leads(accounts, town, course):
    assignment_create(user=accounts[DEPT], course=course, due_date=DUE, industry=town["industry"])
    assert enrolled(course) == {"张三"}
    assert CourseAssignment.objects.get().issuer_department == town["dept_a"]


def test_manager_assigns_own_staff_only(accounts, town, course):
    manager = accounts[MANAGER]
    PersonFactory(name="派遣工", employer=town["ent_a"], employment_type=EmploymentType.DISPATCHED)
    assignment_create(
        user=manager, course=course, due_date=DUE, employment_type=EmploymentType.DISPATCHED
    )
    assert enrolled(course) == {"派遣工"}
    with pytest.raises(ValidationError, match="李四"):
        assignment_create(user=manager, course=course, due_date=DUE, people=[town["person_b"]])
    with pytest.raises(ValidationError):
        assignment_create(user=manager, course=course, due_date=DUE, enterprise=town["ent_b"])


@pytest.mark.parametrize("role", [VILLAGE, LEARNER, EDITOR])
def test_other_roles_may_not_assign(accounts, town, course, role):
    with pytest.raises(PermissionDenied):
        assignment_create(
            user=accounts[role], course=course, due_date=DUE, people=[town["person_a"]]
        )


def test_an_audience_is_required(accounts, course):
    with pytest.raises(ValidationError):
        assignment_create(user=accounts[TOWN], course=course, due_date=DUE)


def test_self_enrolled_learner_gets_the_due_date_and_dates_move_together(accounts, town, course):
    course.open_enrolment = True
    course.save()
    enrolment_join(person=town["person_a"], course=course)
    assignment = assignment_create(
        user=accounts[TOWN], course=course, due_date=DUE, people=[town["person_a"]]
    )
    assert Enrolment.objects.get().due_date == DUE
    later = datetime.date(2026, 1, 31)
    assignment_due_date_change(user=accounts[TOWN], assignment=assignment, due_date=later)
    assert Enrolment.objects.get().due_date == later
    with pytest.raises(PermissionDenied):
        assignment_due_date_change(user=accounts[DEPT], assignment=assignment, due_date=DUE)


def test_closed_course_credits_assigned_learners_only(town, course):
    lesson = LessonPageFactory(parent=course)
    with pytest.raises(PermissionDenied):
        enrolment_join(person=town["person_a"], course=course)
    with pytest.raises(PermissionDenied):
        lesson_heartbeat(
            person=town["person_a"], lesson=lesson, position=0, watched=0, session="s", seq=1
        )


def test_open_course_enrols_whoever_studies_it(town, course):
    course.open_enrolment = True
    course.save()
    lesson = LessonPageFactory(parent=course)
    lesson_heartbeat(
        person=town["person_a"], lesson=lesson, position=0, watched=0, session="s", seq=1
    )
    assert enrolled(course) == {"张三"}


# --- scoping matrix: role × assignment issued by each side × list / edit ---------------------

SEES = {
    TOWN: {"town", "dept_a", "dept_b", "ent_a"},
    DEPT: {"dept_a"},
    VILLAGE: set(),
    MANAGER: {"ent_a"},
    LEARNER: set(),
    EDITOR: set(),
}


@pytest.fixture
def assignments(accounts, town, course):
    from tests.factories import UserFactory

    dept_b = UserFactory(role=DEPT, department=town["dept_b"])
    return {
        "town": assignment_create(
            user=accounts[TOWN], course=course, due_date=DUE, people=[town["person_b"]]
        ),
        "dept_a": assignment_create(
            user=accounts[DEPT], course=course, due_date=DUE, people=[town["person_a"]]
        ),
        "dept_b": assignment_create(
            user=dept_b, course=course, due_date=DUE, people=[town["person_b"]]
        ),
        "ent_a": assignment_create(
            user=accounts[MANAGER], course=course, due_date=DUE, people=[town["person_a"]]
        ),
    }


@pytest.mark.parametrize("role", list(SEES))
def test_assignment_scoping_matrix(client, accounts, assignments, role):
    user = accounts[role]
    visible = {
        key
        for key, a in assignments.items()
        if assignments_visible_to(user).filter(pk=a.pk).exists()
    }
    assert visible == SEES[role]
    client.force_login(user)
    for key, assignment in assignments.items():
        response = client.get(reverse("course_assignments:edit", args=[assignment.pk]))
        if key in SEES[role]:
            assert response.status_code == 200, (role, key)
        else:
            assert response.status_code in (302, 403, 404), (role, key)
    index = client.get(reverse("course_assignments:index"))
    if SEES[role]:
        assert index.status_code == 200
    else:
        assert index.status_code in (302, 403)


def test_manager_form_offers_only_own_enterprise_and_assigns(client, accounts, town, course):
    client.force_login(accounts[MANAGER])
    html = client.get(reverse("course_assignments:add")).content.decode()
    assert "甲机械有限公司" in html and "乙建设有限公司" not in html
    response = client.post(
        reverse("course_assignments:add"),
        {"course": course.pk, "due_date": "2025-12-31", "id_numbers": town["person_a"].id_number},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert enrolled(course) == {"张三"}
    response = client.post(
        reverse("course_assignments:add"),
        {"course": course.pk, "due_date": "2025-12-31", "id_numbers": town["person_b"].id_number},
    )
    assert response.status_code == 200 and "您的管辖范围内未找到" in response.content.decode()


def test_courses_reach_the_leading_cadres_as_an_audience_of_their_own(accounts, town, course):
    PersonFactory(name="镇长", employer=None, is_cadre=True, is_general_worker=False)
    PersonFactory(
        name="周主任",
        employer=None,
        department=town["dept_a"],
        is_cadre=True,
        is_general_worker=False,
    )
    PersonFactory(
        name="规建办主任",
        employer=None,
        department=town["dept_b"],
        is_cadre=True,
        is_general_worker=False,
    )
    assignment_create(user=accounts[TOWN], course=course, due_date=DUE, role=PersonRole.CADRE)
    assert enrolled(course) == {"镇长", "周主任", "规建办主任"}
    # A department officer reaches the own department's cadres only.
    other = CoursePageFactory(parent=course.get_parent(), title="消防安全必修课")
    assignment_create(user=accounts[DEPT], course=other, due_date=DUE, role=PersonRole.CADRE)
    assert enrolled(other) == {"周主任"}

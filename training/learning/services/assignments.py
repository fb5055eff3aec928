"""Writes of assignments and enrolments: who must take a course, by when."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from content.models import CoursePage
from directory.constants import AccountRole, PersonStatus
from directory.models import Enterprise, Industry, Person, User
from directory.models.relations import works_for_q
from directory.selectors import account_role, people_trainable_by
from training.common.roles import ASSIGNER_ROLES
from training.learning.models.assignments import CourseAssignment, Enrolment


def assignment_audience(
    *,
    user: User,
    role: str = "",
    industry: Industry | None = None,
    enterprise: Enterprise | None = None,
    employment_type: str = "",
    people: list[Person] | None = None,
):
    """The in-scope, in-post people an assignment with these criteria reaches."""
    audience = people_trainable_by(user).filter(status=PersonStatus.ACTIVE)
    if role:
        audience = audience.with_role(role)
    if industry:
        audience = audience.filter(employer__industry=industry)
    if enterprise:
        # The enterprise's people: its employees and the people attached to it.
        audience = audience.filter(works_for_q(enterprise.pk))
    if employment_type:
        audience = audience.filter(employment_type=employment_type)
    if people:
        audience = audience.filter(pk__in=[p.pk for p in people])
    return audience


@transaction.atomic
def assignment_create(
    *,
    user: User,
    course: CoursePage,
    due_date: datetime.date,
    role: str = "",
    industry: Industry | None = None,
    enterprise: Enterprise | None = None,
    employment_type: str = "",
    people: list[Person] | None = None,
) -> CourseAssignment:
    """Assign a course and enrol its audience; those already enrolled get the due date."""
    acting = account_role(user)
    if acting not in ASSIGNER_ROLES:
        raise PermissionDenied(_("You may not assign courses."))
    if not (role or industry or enterprise or employment_type or people):
        raise ValidationError(
            _("Choose an audience: a role, industry, enterprise, type or people.")
        )
    people = list(people or [])
    audience = assignment_audience(
        user=user,
        role=role,
        industry=industry,
        enterprise=enterprise,
        employment_type=employment_type,
        people=people,
    )
    if people:
        allowed = set(
            people_trainable_by(user)
            .filter(pk__in=[p.pk for p in people])
            .values_list("pk", flat=True)
        )
        outside = [p.name for p in people if p.pk not in allowed]
        if outside:
            raise ValidationError(
                _("Outside your responsibility: %(names)s.") % {"names": "、".join(outside)}
            )
    assignment = CourseAssignment.objects.create(
        course=course,
        due_date=due_date,
        assigned_by=user,
        issuer_department=user.department if acting == AccountRole.DEPARTMENT_OFFICER else None,
        issuer_enterprise=user.enterprise if acting == AccountRole.ENTERPRISE_MANAGER else None,
        audience_role=role,
        audience_industry=industry,
        audience_enterprise=enterprise,
        audience_employment_type=employment_type,
    )
    if people:
        assignment.audience_people.set(people)
    person_ids = list(audience.order_by().values_list("pk", flat=True))
    if not person_ids:
        raise ValidationError(_("No one in your responsibility matches this audience."))
    # Those enrolled by themselves (or by another assignment without a date) now have one.
    Enrolment.objects.filter(person_id__in=person_ids, course=course).filter(
        due_date__isnull=True
    ).update(assignment=assignment, due_date=due_date)
    Enrolment.objects.bulk_create(
        [
            Enrolment(person_id=pk, course=course, assignment=assignment, due_date=due_date)
            for pk in person_ids
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    assignment.enrolled_count = len(person_ids)
    assignment.save(update_fields=["enrolled_count"])
    return assignment


@transaction.atomic
def enrolment_join(*, person: Person, course: CoursePage) -> Enrolment:
    """A learner enrols in an open course (or is already enrolled, assigned or not)."""
    existing = Enrolment.objects.filter(person=person, course=course).first()
    if existing:
        return existing
    if not course.open_enrolment:
        raise PermissionDenied(_("This course is open to assigned learners only."))
    enrolment, _created = Enrolment.objects.get_or_create(person=person, course=course)
    return enrolment


@transaction.atomic
def assignment_due_date_change(
    *, user: User, assignment: CourseAssignment, due_date: datetime.date
) -> CourseAssignment:
    """A new due date for the assignment and every enrolment it made."""
    from training.learning.selectors.ledger import assignments_visible_to

    if not assignments_visible_to(user).filter(pk=assignment.pk).exists():
        raise PermissionDenied(_("You may not change this assignment."))
    assignment.due_date = due_date
    assignment.save(update_fields=["due_date"])
    assignment.enrolments.update(due_date=due_date)
    return assignment

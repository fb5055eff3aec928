"""一人一档 and the enterprise's view: each person's record and every employee's status, scoped."""

import datetime

from django.db.models import QuerySet

from directory.constants import PersonStatus
from directory.exports import Masking
from directory.models import Enterprise, Person, User
from directory.selectors import (
    enterprises_visible_to,
    people_visible_to,
    person_employment_history,
)
from training.learning.selectors.ledger import person_ledger_by_year
from training.learning.selectors.requirements import RequirementStatus, requirement_status


def record_people_visible_to(user: User) -> QuerySet[Person]:
    """Whose record a user may open: the learner their own, managers their staff, officers theirs."""
    return people_visible_to(user).select_related(
        "employer__industry", "employer__village", "department"
    )


def person_record(
    *, user: User, person: Person, today: datetime.date, masking: Masking | None = None
) -> dict:
    [status] = requirement_status(
        people=Person.objects.filter(pk=person.pk), year=today.year, today=today
    )
    return {
        "person": person,
        "id_number": (masking or Masking(user)).id_number(person),
        "requirement": status,
        "history": person_ledger_by_year(person=person),
        "employment": person_employment_history(person),
    }


def enterprise_statuses(
    *, enterprise: Enterprise, year: int, today: datetime.date
) -> list[RequirementStatus]:
    """Every in-post employee's status in `year` (dispatched and other workers included)."""
    people = Person.objects.filter(employer=enterprise, status=PersonStatus.ACTIVE)
    return requirement_status(people=people, year=year, today=today)


def enterprise_for(user: User, enterprise_id: int | None) -> Enterprise | None:
    """The enterprise a user asks for, if visible; a manager's own by default."""
    visible = enterprises_visible_to(user)
    if enterprise_id is None:
        enterprise_id = user.enterprise_id
    if enterprise_id is None:
        return None
    return visible.filter(pk=enterprise_id).first()

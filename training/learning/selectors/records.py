"""The enterprise's view: every employee's status, scoped (一人一档 lives in the dossiers app)."""

import datetime

from directory.constants import PersonStatus
from directory.models import Enterprise, Person, User
from directory.models.relations import works_for_q
from directory.selectors import enterprises_visible_to
from training.learning.selectors.requirements import RequirementStatus, requirement_status


def enterprise_statuses(
    *, enterprise: Enterprise, year: int, today: datetime.date
) -> list[RequirementStatus]:
    """Every in-post person's status in `year`: the employees (dispatched and other workers
    included) and the people attached to the enterprise today (directory.models.relations)."""
    people = Person.objects.filter(works_for_q(enterprise.pk), status=PersonStatus.ACTIVE)
    return requirement_status(people=people, year=year, today=today)


def enterprise_for(user: User, enterprise_id: int | None) -> Enterprise | None:
    """The enterprise a user asks for, if visible; a manager's own by default."""
    visible = enterprises_visible_to(user)
    if enterprise_id is None:
        enterprise_id = user.enterprise_id
    if enterprise_id is None:
        return None
    return visible.filter(pk=enterprise_id).first()

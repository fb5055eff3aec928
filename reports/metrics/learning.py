"""从业人员培训学时达标率: people whose credited hours meet this year's requirement / people with
a requirement (regulations.md §2).

Source: the training app's requirements and study-hours ledger. Who owes how many hours is decided
by `training.selectors_requirements.requirement_status` (the requirement table applied to each
person's roles, hire date, employment type and employer's risk class) — not re-encoded here. A
person counts in the denominator when that status is anything but "not due".

The covered month is the month the person reached the requirement: the ledger's hours of the year
are summed per person and month by the database, and the month in which the running total first
reaches the hours required is the covered month (0 when nothing is required, i.e. met from the
start). The requirement itself is today's (roles, employer and hire date as recorded now), which is
the honest approximation for a past month of the year: the registry keeps no history of roles.

Queries: the three of `requirement_status`, one for the monthly sums, one for the enterprises'
units — five, whatever the number of people. The rule is applied in Python, one row per person.
"""

import json
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Person
from reports.metrics.base import Item, Metric, Scope, Unit, register
from training.models import StudyHourEntry
from training.selectors_requirements import NOT_DUE, requirement_status


def monthly_hours(*, people: QuerySet, year: int) -> dict[int, dict[int, Decimal]]:
    """Hours credited to each person in each month of `year` (one grouped query)."""
    rows = (
        StudyHourEntry.objects.filter(person__in=people.order_by().values("pk"), date__year=year)
        .annotate(month=ExtractMonth("date"))
        .order_by()
        .values_list("person_id", "month")
        .annotate(total=Sum("hours"))
    )
    result: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for person_id, month, total in rows:
        result[person_id][month] = total
    return result


def month_reached(required: Decimal, by_month: dict[int, Decimal]) -> int | None:
    """The month the running total of `by_month` first reaches `required`; 0 if nothing is
    required; None if it is never reached."""
    if required <= 0:
        return 0
    running = Decimal("0")
    for month in sorted(by_month):
        running += by_month[month]
        if running >= required:
            return month
    return None


def people_reached(*, scope: Scope, year: int) -> list[tuple[int, int | None, int | None]]:
    """(person id, employer id, month reached or None) of every person with a requirement."""
    people = scope.people()
    statuses = requirement_status(people=people, year=year, today=timezone.localdate())
    hours = monthly_hours(people=people, year=year)
    return [
        (s.person_id, s.enterprise_id, month_reached(s.required, hours.get(s.person_id, {})))
        for s in statuses
        if s.status != NOT_DUE
    ]


def ids_subquery(ids: list[int]) -> RawSQL:
    """A list of ids as one bound parameter (a PostgreSQL array, a JSON array on SQLite), so a
    drill-down of tens of thousands of people stays one query under the drivers' limit on the
    number of parameters."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


@register
class TrainingHours(Metric):
    code = "training_hours"
    label = _("Employees meeting their training hours")
    description = _(
        "People whose credited hours meet this year's requirement / people with a requirement"
    )
    unit = Unit.PEOPLE
    order = 40
    source_note = "徐泾镇三年行动方案 第20条; regulations.md §2"
    action_link = "/learning/"

    def items(self, *, scope: Scope, year: int) -> list[Item]:
        units = {
            pk: (department_id, village_id, industry_id)
            for pk, department_id, village_id, industry_id in scope.enterprises()
            .order_by()
            .values_list("pk", "lead_department_id", "village_id", "industry_id")
        }
        counts: dict[tuple, int] = defaultdict(int)
        for _person, employer_id, month in people_reached(scope=scope, year=year):
            counts[(*units.get(employer_id, (None, None, None)), month)] += 1
        return [Item(*key, count=n) for key, n in counts.items()]

    def uncovered(self, *, scope: Scope, year: int, month: int) -> QuerySet:
        """People with a requirement who had not reached it by the end of `month`."""
        short = [
            pk
            for pk, _employer, reached in people_reached(scope=scope, year=year)
            if reached is None or reached > month
        ]
        return Person.objects.filter(pk__in=ids_subquery(short))

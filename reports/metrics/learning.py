"""从业人员培训学时达标率: people whose credited hours meet this year's requirement / people with
a requirement (regulations.md §2).

Source: the training app's requirements and study-hours ledger. Who owes how many hours is decided
by `training.learning.selectors.requirements`: `required_hours_expression` is the same rule as
`requirement_status` (the requirement table applied to each person's roles, hire date, employment
type and employer's risk class) written as one SQL CASE — not re-encoded here. A person counts in
the denominator when the hours required are more than zero ("not due" otherwise).

The covered month is the month the person reached the requirement: the database sums the ledger's
hours of the year per person as twelve running totals (to the end of each month), and the first
month whose total reaches the hours required is the covered month. The requirement itself is
today's (roles, employer and hire date as recorded now), which is the honest approximation for a
past month of the year: the registry keeps no history of roles.

Queries: the requirement table, then one grouped query for the figures (or one for the drill-down),
whatever the number of people: the people and their ledger are aggregated by the database, nothing
is looped over in Python (1M people and 10M ledger rows at the city scale, benchmarks/dashboard.py).
"""

import datetime
import json

from django.db import connection
from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from directory.models import Attachment, Person
from directory.models.relations import current_q
from reports.metrics.base import Item, Metric, Scope, home_units, register
from training.learning.selectors.requirements import required_hours_expression
from training.models import StudyHourEntry


def _month_starts(year: int) -> list[datetime.date]:
    return [datetime.date(year, month, 1) for month in range(2, 13)] + [
        datetime.date(year + 1, 1, 1)
    ]


def reached_sql(*, scope: Scope, year: int, members: bool = False) -> tuple[str, list]:
    """SQL of (person id, department, village, industry, employer, month reached or NULL) of every person
    of the scope with a requirement in `year`: one grouped pass over the year's ledger. The units
    are the person's home units (`home_units`); with `members`, the people are everyone working
    for the scope's enterprises (`Scope.members`) rather than those it counts once."""
    people = (
        (scope.members() if members else scope.people())
        .annotate(required=required_hours_expression(year=year))
        .filter(required__gt=0)
        .annotate(**home_units())
        .order_by()
        .values_list("pk", "required", "home_d", "home_v", "home_i", F("employer_id"))
    )
    people_sql, people_params = people.query.sql_with_params()
    ledger = connection.ops.quote_name(StudyHourEntry._meta.db_table)
    starts = _month_starts(year)
    # Sums in tenths of an hour (the ledger's precision) as integers: exact, and much cheaper for
    # PostgreSQL's parallel aggregation to combine than numeric sums.
    totals = ", ".join(
        f"SUM(CASE WHEN date < %s THEN CAST(hours * 10 AS INTEGER) ELSE 0 END) AS c{month}"
        for month in range(1, 13)
    )
    reached = " ".join(f"WHEN h.c{m} >= p.required * 10 THEN {m}" for m in range(1, 13))
    # Archived rows (directory.services.archive) count for nothing, as everywhere the default
    # manager reads. Outside the town, only the scope's people's ledger rows are read.
    narrowed = "" if scope.is_town else "AND person_id IN (SELECT pk FROM p)"
    # Materialised on PostgreSQL: inlined, the requirement's long CASE would be evaluated again
    # for each of its twelve uses below.
    fence = "MATERIALIZED" if connection.vendor == "postgresql" else ""
    sql = f"""
        WITH p (pk, required, d, v, i, e) AS {fence} ({people_sql}),
        h AS (
            SELECT person_id, {totals} FROM {ledger}
            WHERE date >= %s AND date < %s AND archived_at IS NULL {narrowed}
            GROUP BY person_id
        )
        SELECT p.pk, p.d, p.v, p.i, p.e, CASE {reached} END AS reached
        FROM p LEFT JOIN h ON h.person_id = p.pk
    """  # noqa: S608 - table and column names from the models, the people's SQL from the ORM; values are parameters
    params = [*people_params, *starts, datetime.date(year, 1, 1), starts[-1]]
    return sql, params


def _date_params(params: list) -> list:
    # SQLite compares dates stored as text: bind ISO strings, as Django's own lookups do.
    if connection.vendor == "sqlite":
        return [p.isoformat() if isinstance(p, datetime.date) else p for p in params]
    return params


def items_sql(*, scope: Scope, year: int) -> tuple[str, list]:
    """The metric's one grouped query: people with a requirement by unit and month reached."""
    sql, params = reached_sql(scope=scope, year=year)
    grouped = f"SELECT d, v, i, reached, COUNT(*) FROM ({sql}) r GROUP BY d, v, i, reached"  # noqa: S608
    return grouped, _date_params(params)


def _due(year: int) -> bool:
    """A year still to come owes nothing yet (requirement_status: "not due")."""
    return year <= timezone.localdate().year


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

    def items(self, *, scope: Scope, year: int) -> list[Item]:
        if not _due(year):
            return []
        with connection.cursor() as cursor:
            cursor.execute(*items_sql(scope=scope, year=year))
            return [Item(*row) for row in cursor.fetchall()]

    def enterprise_items(self, *, scope: Scope, year: int) -> list[tuple[int, int | None, int]]:
        """The same grouped pass over everyone working for the scope's enterprises, by each
        enterprise they work for: the employer, and every host they are attached to today
        (reports.metrics.base.enterprise_rows, in SQL)."""
        if not _due(year):
            return []
        sql, params = reached_sql(scope=scope, year=year, members=True)
        enterprises = scope.enterprises().order_by().values_list("pk")
        ent_sql, ent_params = enterprises.query.sql_with_params()
        attached = (
            Attachment.objects.filter(current_q(), host__in=enterprises)
            .exclude(host_id=F("person__employer_id"))
            .order_by()
            .values_list("person_id", "host_id")
        )
        att_sql, att_params = attached.query.sql_with_params()
        grouped = f"""
            SELECT e, reached, COUNT(*) FROM ({sql}) r WHERE e IN ({ent_sql}) GROUP BY e, reached
            UNION ALL
            SELECT a.host_id, r.reached, COUNT(DISTINCT r.pk)
            FROM ({sql}) r JOIN ({att_sql}) a ON a.person_id = r.pk
            GROUP BY a.host_id, r.reached
        """  # noqa: S608 - SQL from the ORM and reached_sql; values are parameters
        with connection.cursor() as cursor:
            cursor.execute(grouped, _date_params([*params, *ent_params, *params, *att_params]))
            return [tuple(row) for row in cursor.fetchall()]

    def uncovered(self, *, scope: Scope, year: int, month: int) -> QuerySet:
        """People with a requirement who had not reached it by the end of `month`.

        The same rule as `reached_sql` read per person: the year's credited tenths up to the end
        of `month` below the tenths required (the running totals only grow, so "not reached by
        `month`" is "this month's total short"). Written as a correlated sum over the ledger's
        (person, date) index, so a page ordered by name reads the ledger of the people it shows,
        not of the whole town (the grouped pass reads 3M rows at the district scale)."""
        if not _due(year):
            return Person.objects.none()
        until = _month_starts(year)[month - 1]
        credited = (
            StudyHourEntry.objects.filter(
                person=OuterRef("pk"),
                date__gte=datetime.date(year, 1, 1),
                date__lt=until,
                archived_at__isnull=True,
            )
            .order_by()
            .values("person")
            .annotate(tenths=Sum(Cast(F("hours") * 10, IntegerField())))
            .values("tenths")
        )
        return (
            scope.people()
            .alias(required=required_hours_expression(year=year))
            .filter(required__gt=0)
            .alias(done=Coalesce(Subquery(credited, output_field=IntegerField()), Value(0)))
            .filter(done__lt=F("required") * 10)
        )

    def reminder_hours(self, *, person_ids: set[int], year: int) -> dict[int, tuple]:
        """One query: each person's hours required this year and credited in the ledger."""
        credited = (
            StudyHourEntry.objects.filter(
                person=OuterRef("pk"),
                date__gte=datetime.date(year, 1, 1),
                date__lt=datetime.date(year + 1, 1, 1),
            )
            .order_by()
            .values("person")
            .annotate(total=Sum("hours"))
            .values("total")
        )
        rows = (
            Person.objects.filter(pk__in=person_ids)
            .annotate(required=required_hours_expression(year=year), done=Subquery(credited))
            .values_list("pk", "required", "done")
        )
        return {pk: (required, done or 0) for pk, required, done in rows}

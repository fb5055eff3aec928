"""The leading cadres' compulsory course (徐泾镇三年行动方案 一(一)1: 将安全生产、消防安全教育培训列入
党政领导干部的必修课程): who owes it, how many study hours a year (the town office's requirement
row, RequirementKind.COMPULSORY), and the month each cadre reached them.

Every credited hour of the year counts (online lessons, sessions attended, exams, imported
history): the course is the year's safety and fire training, whichever way it was given. One
query whatever the number of cadres.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from directory.constants import PersonRole, PersonStatus
from directory.models import Person
from directory.selectors import people_visible_to
from training.learning.models.ledger import StudyHourEntry
from training.learning.models.requirements import RequirementKind, TrainingRequirement
from training.learning.selectors.ledger import hours_by_person


def cadres_in_post() -> QuerySet[Person]:
    """The leading cadres in post: of the town, its departments and its villages."""
    return Person.objects.filter(is_cadre=True, status=PersonStatus.ACTIVE)


def compulsory_hours() -> Decimal | None:
    """The study hours a cadre owes each year; None when the town office set none."""
    return (
        TrainingRequirement.objects.filter(
            kind=RequirementKind.COMPULSORY, person_role=PersonRole.CADRE, risk_class=""
        )
        .values_list("hours", flat=True)
        .first()
    )


@dataclass(frozen=True)
class CadreCourse:
    """One cadre in a year: hours required, credited by the end of each month, month reached."""

    person_id: int
    department_id: int | None
    village_id: int | None
    required: Decimal
    # Running totals to the end of each month, January first.
    totals: tuple[Decimal, ...]

    @property
    def covered_month(self) -> int | None:
        for month, total in enumerate(self.totals, start=1):
            if total >= self.required:
                return month
        return None


def _month_end(year: int, month: int) -> datetime.date:
    """The first day after `month`."""
    return datetime.date(year + 1, 1, 1) if month == 12 else datetime.date(year, month + 1, 1)


def cadre_courses(*, cadres: QuerySet[Person], year: int) -> list[CadreCourse]:
    """Each cadre of `cadres` with the year's compulsory hours and running totals; empty when
    the town office requires none. One query: the requirement's hours come as a subquery, the
    twelve running totals as filtered sums of the cadre's ledger rows that count."""
    hours = TrainingRequirement.objects.filter(
        kind=RequirementKind.COMPULSORY, person_role=PersonRole.CADRE, risk_class=""
    ).values("hours")[:1]
    start = datetime.date(year, 1, 1)
    totals = {
        f"by{month}": Sum(
            "study_hours__hours",
            filter=Q(
                study_hours__date__gte=start,
                study_hours__date__lt=_month_end(year, month),
                # Archived rows count for nothing (directory.services.archive).
                study_hours__archived_at__isnull=True,
            ),
            default=Decimal(0),
        )
        for month in range(1, 13)
    }
    rows = (
        cadres.order_by()
        .annotate(required=Subquery(hours), **totals)
        .values_list("pk", "department_id", "village_id", "required", *totals)
    )
    courses = []
    for pk, department_id, village_id, required, *running in rows:
        if not required:
            return []
        courses.append(CadreCourse(pk, department_id, village_id, required, tuple(running)))
    return courses


def credited_by(*, year: int, month: int) -> Subquery:
    """For a person queryset: the hours credited in `year` by the end of `month` (0 if none)."""
    total = (
        StudyHourEntry.objects.filter(
            person=OuterRef("pk"),
            date__gte=datetime.date(year, 1, 1),
            date__lt=_month_end(year, month),
        )
        .order_by()
        .values("person")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    field = DecimalField(max_digits=7, decimal_places=1)
    return Coalesce(Subquery(total, output_field=field), Value(Decimal(0)), output_field=field)


@dataclass(frozen=True)
class CadreRow:
    """One cadre the viewer sees, with the year's compulsory hours and those credited."""

    person: Person
    required: Decimal
    credited: Decimal

    @property
    def met(self) -> bool:
        return self.credited >= self.required

    @property
    def short_by(self) -> Decimal:
        return max(Decimal(0), self.required - self.credited)


def cadre_course_rows(*, user, year: int) -> list[CadreRow]:
    """The cadres in post the user may see, each with the compulsory hours of `year` and the
    hours credited in it (the ledger's totals); empty when the town office requires none.
    Three queries: the requirement, the cadres, the ledger's sums."""
    required = compulsory_hours()
    if not required:
        return []
    cadres = people_visible_to(user, cadres_in_post()).select_related("department", "village")
    credited = hours_by_person(people=cadres, year=year)
    return [
        CadreRow(person, required, credited.get(person.pk, Decimal(0)))
        for person in cadres.order_by("department__name", "village__name", "name", "pk")
    ]

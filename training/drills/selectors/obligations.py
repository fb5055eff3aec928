"""Each enterprise's drill obligation for a year: done, due or overdue as of a day, counted in two
queries whatever the number of enterprises (what is owed: training.drills.rules)."""

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from directory.constants import EnterpriseStatus
from directory.models import Enterprise, User
from directory.selectors import enterprises_visible_to
from training.drills.models.records import DrillRecord, PlanType, ReviewStatus
from training.drills.rules import (
    HALF_YEARLY,
    ON_SITE_PLAN_FLAG,
    drill_requirement,
    first_half_deadline,
    year_deadline,
)

# A record counts towards the obligation once entered; an officer asking for more information
# takes it out again until the enterprise completes it (training.drills.services.records.drill_record_update).
COUNTING_STATUSES = (ReviewStatus.SUBMITTED, ReviewStatus.ACCEPTED)

DONE = "done"
DUE = "due"
OVERDUE = "overdue"
OBLIGATION_STATES = [(DONE, _("Done")), (DUE, _("Due")), (OVERDUE, _("Overdue"))]


@dataclass(frozen=True)
class ObligationStatus:
    """One enterprise's drill obligation for a year, as of a day."""

    enterprise_id: int
    enterprise_name: str
    required: int
    reasons: list[str]
    done_first_half: int
    done_second_half: int
    status: str
    # The day by which the next drill is owed (due), or the deadline that was missed (overdue).
    due_date: datetime.date | None

    @property
    def done(self) -> int:
        return self.done_first_half + self.done_second_half


def obligation_enterprises_for(user: User) -> QuerySet[Enterprise]:
    """The active enterprises whose drill obligations a user follows."""
    return enterprises_visible_to(user).filter(status=EnterpriseStatus.ACTIVE)


def _state(required: int, first: int, second: int, year: int, today: datetime.date):
    if required == HALF_YEARLY:
        if not first:
            deadline = first_half_deadline(year)
            return (OVERDUE if today > deadline else DUE), deadline
        if not second:
            deadline = year_deadline(year)
            return (OVERDUE if today > deadline else DUE), deadline
        return DONE, None
    if first or second:
        return DONE, None
    deadline = year_deadline(year)
    return (OVERDUE if today > deadline else DUE), deadline


def _drill_counts(enterprises: QuerySet[Enterprise], year: int, today: datetime.date):
    """Counting records per (enterprise, half) up to `today`: all of them, and those of the
    on-site plan (a record dated later does not yet count, as in reports.metrics.drills)."""
    rows = (
        DrillRecord.objects.filter(
            enterprise__in=enterprises.order_by().values("pk"),
            date__year=year,
            date__lte=today,
            review_status__in=COUNTING_STATUSES,
        )
        .annotate(
            half=Case(
                When(date__month__lte=6, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            on_site=Case(
                When(plan_type=PlanType.ON_SITE, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by()
        .values("enterprise_id", "half", "on_site")
        .annotate(n=Count("id"))
    )
    counts: dict[tuple[int, int], int] = {}
    on_site: dict[tuple[int, int], int] = {}
    for row in rows:
        key = (row["enterprise_id"], row["half"])
        counts[key] = counts.get(key, 0) + row["n"]
        if row["on_site"]:
            on_site[key] = on_site.get(key, 0) + row["n"]
    return counts, on_site


def with_drill_profile(enterprises: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """Enterprises with the drill profile's flag as an attribute (no profile: False)."""
    return enterprises.annotate(
        **{
            ON_SITE_PLAN_FLAG: Coalesce(
                F("drill_profile__keeps_on_site_plan"), Value(False), output_field=BooleanField()
            )
        }
    )


def drill_obligation_status(
    *,
    enterprises: QuerySet[Enterprise],
    year: int,
    today: datetime.date,
    status: str | None = None,
) -> list[ObligationStatus]:
    """Each enterprise's obligation for `year`, in two queries whatever their number.

    With `status` (done / due / overdue), only the enterprises in that state. An enterprise that
    keeps an on-site disposal plan needs a drill of that plan in each half.
    """
    counts, on_site = _drill_counts(enterprises, year, today)
    result = []
    fields = ("name", "is_fire_key_unit", "handles_hazardous_chemicals", "is_crowded_place")
    for enterprise in (
        with_drill_profile(enterprises.select_related("industry"))
        .only(*fields, "industry__risk_class", "industry__drills_half_yearly")
        .iterator(chunk_size=2000)
    ):
        requirement = drill_requirement(enterprise)
        first = counts.get((enterprise.pk, 1), 0)
        second = counts.get((enterprise.pk, 2), 0)
        qualifying = on_site if requirement.on_site_each_half else counts
        state, due_date = _state(
            requirement.per_year,
            qualifying.get((enterprise.pk, 1), 0),
            qualifying.get((enterprise.pk, 2), 0),
            year,
            today,
        )
        if status and state != status:
            continue
        result.append(
            ObligationStatus(
                enterprise_id=enterprise.pk,
                enterprise_name=enterprise.name,
                required=requirement.per_year,
                reasons=requirement.reasons,
                done_first_half=first,
                done_second_half=second,
                status=state,
                due_date=due_date,
            )
        )
    return result

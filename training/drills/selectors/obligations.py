"""Each enterprise's drill duties for a year: per duty done, due or overdue as of a day, and the
overall state, counted in two queries whatever the number of enterprises (what is owed:
training.drills.rules.drill_duties; which records meet a duty: DrillRecord.meets_*)."""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import BooleanField, Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from directory.constants import EnterpriseStatus
from directory.models import Enterprise, User
from directory.selectors import enterprises_visible_to
from training.drills.models.records import DrillRecord, ReviewStatus
from training.drills.rules import (
    DUTY_FIELDS,
    HALF_YEARLY,
    HALF_YEARLY_FLAGS,
    INDUSTRY_HALF_YEARLY_FLAG,
    ON_SITE_PLAN_FLAG,
    ON_SITE_PLAN_LOOKUP,
    DrillDuty,
    drill_duties,
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
STATE_LABELS = dict(OBLIGATION_STATES)


@dataclass(frozen=True)
class DutyState:
    """One duty of one enterprise for a year, as of a day."""

    duty: str
    per_year: int
    reasons: list[str]
    done_first_half: int
    done_second_half: int
    status: str
    # The day by which the next drill is owed (due), or the deadline that was missed (overdue).
    due_date: datetime.date | None

    @property
    def label(self) -> str:
        return str(DrillDuty(self.duty).label)

    @property
    def status_label(self) -> str:
        return str(STATE_LABELS[self.status])


@dataclass(frozen=True)
class ObligationStatus:
    """One enterprise's drill duties for a year, as of a day; done when every duty is done."""

    enterprise_id: int
    enterprise_name: str
    duties: dict[str, DutyState]
    # Counted drills of any kind in each half (a drill may meet several duties, or none).
    drills_first_half: int
    drills_second_half: int
    status: str
    # The earliest missed deadline (overdue), or the earliest day a drill is owed by (due).
    due_date: datetime.date | None

    @property
    def drilled(self) -> bool:
        """At least one counted drill of any kind this year (the drills_held figure)."""
        return bool(self.drills_first_half or self.drills_second_half)

    @property
    def open_duties(self) -> list[DutyState]:
        return [state for state in self.duties.values() if state.status != DONE]

    @property
    def status_label(self) -> str:
        return str(STATE_LABELS[self.status])

    def duty_status(self, duty: str) -> str | None:
        """The duty's state, None when the enterprise does not owe it."""
        state = self.duties.get(duty)
        return state.status if state else None


def obligation_enterprises_for(user: User) -> QuerySet[Enterprise]:
    """The active enterprises whose drill obligations a user follows."""
    return enterprises_visible_to(user).filter(status=EnterpriseStatus.ACTIVE)


def _state(per_year: int, first: int, second: int, year: int, today: datetime.date):
    if per_year == HALF_YEARLY:
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


def _overall(states: list[DutyState]) -> tuple[str, datetime.date | None]:
    for status in (OVERDUE, DUE):
        dates = [state.due_date for state in states if state.status == status]
        if dates:
            return status, min(dates)
    return DONE, None


# What _drill_counts counts per enterprise, in this order: per half, all counted drills (duty
# None), then those meeting each duty.
COUNT_KEYS: tuple[tuple[int, str | None], ...] = tuple(
    (half, duty) for half in (1, 2) for duty in (None, *DUTY_FIELDS)
)


NO_DRILLS = (0,) * len(COUNT_KEYS)


def _drill_counts(
    enterprises: QuerySet[Enterprise], year: int, today: datetime.date
) -> dict[int, tuple[int, ...]]:
    """Counted records up to `today` per enterprise, one count per COUNT_KEYS, in one query
    aggregated by the database (a record dated later does not yet count). Enterprises without a
    counted record are absent."""
    halves = {1: Q(date__month__lte=6), 2: Q(date__month__gt=6)}
    counts = {
        f"n{position}": Count(
            "id",
            filter=halves[half] & (Q(**{DUTY_FIELDS[duty]: True}) if duty else Q()),
        )
        for position, (half, duty) in enumerate(COUNT_KEYS)
    }
    rows = (
        DrillRecord.objects.filter(
            enterprise__in=enterprises.order_by().values("pk"),
            date__year=year,
            date__lte=today,
            review_status__in=COUNTING_STATUSES,
        )
        .order_by()
        .values("enterprise_id")
        .annotate(**counts)
        .values_list("enterprise_id", *counts)
    )
    return {pk: tuple(numbers) for pk, *numbers in rows}


def with_drill_profile(enterprises: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """Enterprises with the drill profile's flag as an attribute (no profile: False)."""
    return enterprises.annotate(
        **{
            ON_SITE_PLAN_FLAG: Coalesce(
                F(ON_SITE_PLAN_LOOKUP), Value(False), output_field=BooleanField()
            )
        }
    )


# What training.drills.rules.drill_duties reads of an enterprise, fetched as plain values.
FLAG_FIELDS = tuple(name for name, _label in HALF_YEARLY_FLAGS)
INDUSTRY_FIELDS = ("risk_class", INDUSTRY_HALF_YEARLY_FLAG)
FACT_FIELDS = (
    *FLAG_FIELDS,
    *(f"industry__{name}" for name in INDUSTRY_FIELDS),
    ON_SITE_PLAN_FLAG,
)


def _facts(values: tuple) -> SimpleNamespace:
    """An enterprise as drill_duties reads it, from the values of FACT_FIELDS."""
    flags = dict(zip(FLAG_FIELDS, values, strict=False))
    industry = SimpleNamespace(
        **dict(zip(INDUSTRY_FIELDS, values[len(FLAG_FIELDS) :], strict=False))
    )
    return SimpleNamespace(**flags, industry=industry, **{ON_SITE_PLAN_FLAG: values[-1]})


def drill_obligation_status(
    *,
    enterprises: QuerySet[Enterprise],
    year: int,
    today: datetime.date,
    status: str | None = None,
    duty: str | None = None,
) -> list[ObligationStatus]:
    """Each enterprise's duties for `year`, in two queries whatever their number.

    With `status` (done / due / overdue), only the enterprises in that state — overall, or for
    `duty` when given; with `duty` alone, only the enterprises that owe it.
    """
    counts = _drill_counts(enterprises, year, today)
    result = []
    # Enterprises with the same facts owe the same duties: the rules run once per combination;
    # and those with the same facts and the same drills counted are in the same state, judged
    # once (most enterprises share a handful of combinations: at 25,000 this is most of the time).
    rules_by_facts: dict[tuple, dict] = {}
    judged: dict[tuple, tuple[dict[str, DutyState], str, datetime.date | None]] = {}
    for pk, name, *facts in (
        with_drill_profile(enterprises)
        .values_list("pk", "name", *FACT_FIELDS)
        .iterator(chunk_size=2000)
    ):
        key = tuple(facts)
        done = counts.get(pk, NO_DRILLS)
        verdict = judged.get((key, done))
        if verdict is None:
            if key not in rules_by_facts:
                rules_by_facts[key] = drill_duties(_facts(key))
            own = dict(zip(COUNT_KEYS, done, strict=True))
            verdict = judged[key, done] = _judge(rules_by_facts[key], own, year, today)
        states, overall, due_date = verdict
        if duty and duty not in states:
            continue
        if status and (states[duty].status if duty else overall) != status:
            continue
        result.append(
            ObligationStatus(
                enterprise_id=pk,
                enterprise_name=name,
                duties=states,
                drills_first_half=done[0],
                drills_second_half=done[len(COUNT_KEYS) // 2],
                status=overall,
                due_date=due_date,
            )
        )
    return result


def _judge(rules: dict, own: dict, year: int, today: datetime.date):
    """Each duty's state from the drills counted per (half, duty), and the overall state."""
    states = {}
    for code, rule in rules.items():
        first = own.get((1, code), 0)
        second = own.get((2, code), 0)
        state, due_date = _state(rule.per_year, first, second, year, today)
        states[code] = DutyState(
            duty=code,
            per_year=rule.per_year,
            reasons=rule.reasons,
            done_first_half=first,
            done_second_half=second,
            status=state,
            due_date=due_date,
        )
    return (states, *_overall(list(states.values())))

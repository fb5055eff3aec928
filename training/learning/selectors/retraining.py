"""Re-training after a transfer or a return (《生产经营单位安全培训规定》第十七条): a person moved to
another post, or back after a year or more away, is trained again at workshop and team level.

The duty runs from the date the person took the current post (`Person.post_since`, set by the
registry on a move; an officer sets it on a return) when that is after the hire date. It is met
by ledger entries of both levels (`StudyHourEntry.level`: 车间级 and 班组级) dated on or after it;
the rule fixes no hours, so any recorded hours of each level count. Two queries whatever the
number of people.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from training.learning.models.ledger import StudyHourEntry, TrainingLevel

# 第十七条: the levels given again on a transfer or a return.
RETRAINING_LEVELS = (TrainingLevel.WORKSHOP, TrainingLevel.TEAM)


@dataclass(frozen=True)
class RetrainingDuty:
    person_id: int
    since: datetime.date
    missing: tuple[str, ...]

    @property
    def met(self) -> bool:
        return not self.missing

    @property
    def missing_labels(self) -> str:
        return "、".join(str(TrainingLevel(level).label) for level in self.missing)


def moved() -> Q:
    """People whose current post started after their hire: the duty applies."""
    return Q(post_since__isnull=False) & (
        Q(hire_date__isnull=True) | Q(post_since__gt=F("hire_date"))
    )


def moved_since(*, hire_date: datetime.date | None, post_since: datetime.date | None):
    """`moved()` for one person already read: the date the duty runs from, or None."""
    if post_since is not None and (hire_date is None or post_since > hire_date):
        return post_since
    return None


def duty_of(
    *, person_id: int, since: datetime.date, entries: Iterable[tuple[str, datetime.date]]
) -> RetrainingDuty:
    """The duty of a person moved on `since`, given their (level, date) ledger entries."""
    done = {level for level, day in entries if level in RETRAINING_LEVELS and day >= since}
    return RetrainingDuty(person_id, since, tuple(lv for lv in RETRAINING_LEVELS if lv not in done))


def retraining_duties(*, people: QuerySet) -> dict[int, RetrainingDuty]:
    """Each moved person's duty: the post date and the levels still missing."""
    since = dict(people.filter(moved()).order_by().values_list("pk", "post_since"))
    if not since:
        return {}
    entries: dict[int, list] = {pk: [] for pk in since}
    for person_id, level, day in StudyHourEntry.objects.filter(
        person_id__in=list(since), level__in=RETRAINING_LEVELS
    ).values_list("person_id", "level", "date"):
        entries[person_id].append((level, day))
    return {pk: duty_of(person_id=pk, since=day, entries=entries[pk]) for pk, day in since.items()}

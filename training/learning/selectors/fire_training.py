"""Fire-safety training owed under 公安部61号令 第三十六条 (regulations.md §4), read from the topic
requirement table the town office edits:

- staff of fire-safety key units (`Enterprise.is_fire_key_unit`): at least once a calendar year;
- staff of crowded places (公众聚集场所, `Enterprise.is_crowded_place`): at least once every half
  year, judged on the half the day falls in (a January training does not meet the second half);
- new staff: before starting work, i.e. a fire-safety ledger entry dated from the hire date to
  the row's days after it; a later one is late. Staff hired within the last year count as new.

A ledger entry counts when its topic is fire safety (`StudyHourEntry.topic`); several entries on
one day are one training. Three queries whatever the number of people: the table, the people,
their fire-safety entries.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.constants import EnterpriseStatus, PersonStatus
from directory.models import Person, User
from directory.models.people import years_after
from directory.selectors import people_visible_to
from training.learning.models.ledger import StudyHourEntry, TrainingTopic
from training.learning.models.requirements import (
    TopicAudience,
    TopicTrainingRequirement,
    TrainingPeriod,
)
from training.learning.selectors.gap_filters import people_filtered

MET = "met"
NOT_MET = "not_met"
LATE = "late"
NOT_YET_DUE = "not_yet_due"
NOT_TRAINED = "not_trained"

# Who each row of the table falls on, as a filter on people (their employer's flags, their hire).
AUDIENCE_FLAGS = {
    TopicAudience.FIRE_KEY_UNIT_STAFF: "employer__is_fire_key_unit",
    TopicAudience.CROWDED_PLACE_STAFF: "employer__is_crowded_place",
}


def _date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_bounds(period: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The calendar year, or the half year, that `today` falls in."""
    if period == TrainingPeriod.HALF_YEAR:
        if today.month <= 6:
            return datetime.date(today.year, 1, 1), datetime.date(today.year, 6, 30)
        return datetime.date(today.year, 7, 1), datetime.date(today.year, 12, 31)
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


def period_label(period: str, start: datetime.date) -> str:
    if period == TrainingPeriod.HALF_YEAR:
        if start.month == 1:
            return _("first half of %(year)s") % {"year": start.year}
        return _("second half of %(year)s") % {"year": start.year}
    return _("the year %(year)s") % {"year": start.year}


@dataclass(frozen=True)
class FireTrainingDuty:
    """One person's fire-training duty under one row of the table, judged on one day."""

    person: Person
    requirement: TopicTrainingRequirement
    start: datetime.date
    deadline: datetime.date
    trained_on: tuple[datetime.date, ...]
    state: str

    @property
    def met(self) -> bool:
        return self.state == MET

    @property
    def requirement_label(self) -> str:
        return f"{self.requirement.get_applies_to_display()}：{self.requirement.rule_label}"

    @property
    def period_label(self) -> str:
        if not self.requirement.period:
            return _("Before starting work (hired %(date)s)") % {"date": _date(self.start)}
        return period_label(self.requirement.period, self.start)

    @property
    def reason(self) -> str:
        rule = self.requirement
        if self.state == MET:
            return _("Trained on %(dates)s") % {
                "dates": "、".join(_date(day) for day in self.trained_on)
            }
        if self.state == LATE:
            return _(
                "Late: first trained on %(date)s, more than %(days)s days after the hire date"
            ) % {"date": _date(self.trained_on[0]), "days": rule.within_days_of_hire}
        if self.state == NOT_YET_DUE:
            return _("Not trained yet; due by %(date)s") % {"date": _date(self.deadline)}
        if self.state == NOT_TRAINED:
            return _("No fire-safety training within %(days)s days of the hire date") % {
                "days": rule.within_days_of_hire
            }
        if self.trained_on:
            return _("Trained %(done)s of %(times)s times in %(period)s; due by %(date)s") % {
                "done": len(self.trained_on),
                "times": rule.times,
                "period": self.period_label,
                "date": _date(self.deadline),
            }
        return _("No fire-safety training in %(period)s (%(rule)s); due by %(date)s") % {
            "period": self.period_label,
            "rule": rule.rule_label,
            "date": _date(self.deadline),
        }


def _applies(rule: TopicTrainingRequirement, today: datetime.date) -> Q:
    if rule.applies_to == TopicAudience.NEW_STAFF:
        # Hired within the last year: older staff are past their first day on this platform.
        return Q(hire_date__lte=today, hire_date__gt=years_after(today, -1))
    flag = AUDIENCE_FLAGS.get(rule.applies_to)
    return Q(**{flag: True}) if flag else Q(pk__in=[])


def _duty(person, rule, days: list[datetime.date], today: datetime.date) -> FireTrainingDuty:
    if rule.period:
        start, end = period_bounds(rule.period, today)
        done = tuple(day for day in days if start <= day <= end)
        state = MET if len(done) >= rule.times else NOT_MET
        return FireTrainingDuty(person, rule, start, end, done, state)
    start = person.hire_date
    deadline = start + datetime.timedelta(days=rule.within_days_of_hire)
    after_hire = tuple(day for day in days if day >= start)
    in_window = tuple(day for day in after_hire if day <= deadline)
    if in_window:
        state = MET
    elif after_hire:
        state = LATE
    else:
        state = NOT_YET_DUE if today <= deadline else NOT_TRAINED
    return FireTrainingDuty(person, rule, start, deadline, in_window or after_hire, state)


def _fire_rules() -> list[TopicTrainingRequirement]:
    return [
        rule
        for rule in TopicTrainingRequirement.objects.filter(topic=TrainingTopic.FIRE_SAFETY)
        if rule.period or rule.within_days_of_hire is not None
    ]


def _candidates(*, user, today, filters, people, rules) -> QuerySet:
    owes = Q(pk__in=[])
    for rule in rules:
        owes |= _applies(rule, today)
    return people_filtered(
        people_visible_to(user, people).filter(
            owes,
            employer__isnull=False,
            status=PersonStatus.ACTIVE,
            employer__status=EnterpriseStatus.ACTIVE,
        ),
        filters,
    )


def fire_training_candidates(
    *, user: User, today: datetime.date, filters: dict | None = None
) -> QuerySet:
    """The people `fire_training` judges, in its order (its pages judge a chunk at a time)."""
    rules = _fire_rules()
    if not rules:
        return Person.objects.none()
    return _candidates(user=user, today=today, filters=filters, people=None, rules=rules).order_by(
        "employer__name", "name", "pk"
    )


def fire_training(
    *,
    user: User,
    today: datetime.date | None = None,
    filters: dict | None = None,
    people: QuerySet | None = None,
) -> list[FireTrainingDuty]:
    """Every fire-training duty of the people visible to `user` on `today`, met or not;
    `filters` as the other gap lists' (enterprise, lead department, village)."""
    today = today or timezone.localdate()
    rules = _fire_rules()
    if not rules:
        return []
    people = _candidates(user=user, today=today, filters=filters, people=people, rules=rules)
    # The earliest day any duty looks at: the year's start or the oldest hire counted as new.
    since = min(datetime.date(today.year, 1, 1), years_after(today, -1))
    days: dict[int, set] = {}
    for person_id, day in StudyHourEntry.objects.filter(
        topic=TrainingTopic.FIRE_SAFETY,
        date__gte=since,
        date__lte=today,
        person__in=people.values("pk"),
    ).values_list("person_id", "date"):
        days.setdefault(person_id, set()).add(day)
    people = people.select_related("employer__village", "employer__lead_department").order_by(
        "employer__name", "name", "pk"
    )
    duties = []
    for person in people:
        for rule in rules:
            if _owes(person, rule, today):
                duties.append(_duty(person, rule, sorted(days.get(person.pk, ())), today))
    return duties


def _owes(person: Person, rule: TopicTrainingRequirement, today: datetime.date) -> bool:
    """`_applies` read on one loaded person."""
    if rule.applies_to == TopicAudience.NEW_STAFF:
        hire = person.hire_date
        return hire is not None and years_after(today, -1) < hire <= today
    flag = AUDIENCE_FLAGS.get(rule.applies_to)
    return bool(flag) and getattr(person.employer, flag.removeprefix("employer__"))


def fire_training_gaps(**kwargs) -> list[FireTrainingDuty]:
    """The duties not met: the 消防安全培训 gap list."""
    return [duty for duty in fire_training(**kwargs) if not duty.met]


FIRE_TRAINING_COLUMNS = [
    "姓名",
    "身份证号",
    "企业",
    "所属村居",
    "牵头部门",
    "培训要求",
    "期间",
    "截止日期",
    "情况",
]


def fire_training_rows(duties: list[FireTrainingDuty], masking) -> list[list]:
    """The duties as spreadsheet rows, ID numbers through the export's masking."""
    return [
        [
            duty.person.name,
            masking.id_number(duty.person),
            duty.person.employer.name,
            duty.person.employer.village.name,
            duty.person.employer.lead_department.name,
            duty.requirement_label,
            duty.period_label,
            duty.deadline.isoformat(),
            duty.reason,
        ]
        for duty in duties
    ]

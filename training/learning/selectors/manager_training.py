"""Newly appointed principals and safety managers not trained within the months the requirement
table gives (regulations.md §3: outside the management-certificate units, trained within 6 months
of taking office; 《生产经营单位安全培训规定》第九条 sets the hours).

Who owes it is read from the table: the initial-training rows of principals and safety managers
with `due_within_months` (the general row; construction and road transport have rows without it,
their managers take the assessment, and the high-risk row has none). Units handling hazardous
chemicals take the assessment too (安全生产法 第二十七条) and are left out, as the certificate
registry's management-certificate units are.

The clock runs from the day the person took the current post (`post_since`), else the hire date.
The hours are those the ledger credits from that day to the deadline. Three queries whatever the
number of people: the table, the people, their ledger entries in the windows.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.constants import EnterpriseStatus, PersonRole, PersonStatus, RiskClass
from directory.models import Person, User
from directory.selectors import people_visible_to
from training.learning.models.ledger import StudyHourEntry
from training.learning.models.requirements import RequirementKind, TrainingRequirement
from training.learning.selectors.gap_filters import people_filtered
from training.learning.selectors.requirements import _risk_q, _rule, requirement_table

MANAGER_ROLES = {
    PersonRole.PRINCIPAL: "is_principal",
    PersonRole.SAFETY_MANAGER: "is_safety_manager",
}
# 安全生产法 第二十七条: units handling hazardous chemicals take the assessment, whatever their
# industry (the certificate registry's MANAGEMENT_CERTIFICATE_ENTERPRISE_FLAGS).
ASSESSED_ENTERPRISE_FLAGS = ("handles_hazardous_chemicals",)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; past the month's end, its last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ManagerTrainingGap:
    """One principal or safety manager who has not reached the hours by the deadline (yet)."""

    person: Person
    took_post_on: datetime.date | None
    deadline: datetime.date | None
    required: Decimal
    credited: Decimal
    overdue: bool

    @property
    def state_label(self) -> str:
        if not self.overdue:
            return str(_("Within the months after taking the post"))
        if self.credited:
            return str(
                _("Short by %(hours)s study hours") % {"hours": self.required - self.credited}
            )
        return str(_("Not trained"))


def _rules(table) -> dict[tuple[str, str], TrainingRequirement]:
    """(role, risk class) → the initial-training row with a deadline."""
    rules = {}
    for role in MANAGER_ROLES:
        for risk in RiskClass.values:
            rule = _rule(table, RequirementKind.INITIAL, role, risk)
            if rule is not None and rule.hours and rule.due_within_months:
                rules[(role, risk)] = rule
    return rules


def _candidates(*, user: User, filters: dict | None, people: QuerySet | None, rules) -> QuerySet:
    owes = Q(pk__in=[])
    for role, risk in rules:
        owes |= Q(**{MANAGER_ROLES[role]: True}) & _risk_q(risk)
    for flag in ASSESSED_ENTERPRISE_FLAGS:
        owes &= ~Q(**{f"employer__{flag}": True})
    people = people_visible_to(user, people).filter(
        owes, status=PersonStatus.ACTIVE, employer__status=EnterpriseStatus.ACTIVE
    )
    return people_filtered(people, filters).order_by("employer__name", "name", "pk")


def manager_training_candidates(*, user: User, filters: dict | None = None) -> QuerySet:
    """The people `manager_training_gaps` judges, in its order (its pages judge a chunk of them
    at a time)."""
    rules = _rules(requirement_table())
    if not rules:
        return Person.objects.none()
    return _candidates(user=user, filters=filters, people=None, rules=rules)


def manager_training_gaps(
    *,
    user: User,
    today: datetime.date | None = None,
    filters: dict | None = None,
    people: QuerySet | None = None,
) -> list[ManagerTrainingGap]:
    """Principals and safety managers visible to `user` who owe training within months of taking
    the post and have not reached its hours; `filters` and `people` as the certificate gap list's.
    """
    today = today or timezone.localdate()
    rules = _rules(requirement_table())
    if not rules:
        return []
    people = list(
        _candidates(user=user, filters=filters, people=people, rules=rules).select_related(
            "employer__industry", "employer__village", "employer__lead_department"
        )
    )
    windows = {}
    for person in people:
        risk = person.employer.industry.risk_class if person.employer.industry_id else ""
        risk = risk or RiskClass.GENERAL
        owed = [
            rules[(role, risk)]
            for role, column in MANAGER_ROLES.items()
            if getattr(person, column) and (role, risk) in rules
        ]
        rule = max(owed, key=lambda r: (r.hours, -r.due_within_months))
        took = person.post_since or person.hire_date
        deadline = add_months(took, rule.due_within_months) if took else None
        windows[person.pk] = (took, deadline, rule.hours)
    credited: dict[int, Decimal] = {}
    starts = [took for took, _deadline, _hours in windows.values() if took]
    if starts:
        for person_id, day, hours in StudyHourEntry.objects.filter(
            person_id__in=[pk for pk, (took, _d, _h) in windows.items() if took],
            date__gte=min(starts),
        ).values_list("person_id", "date", "hours"):
            took, deadline, _hours = windows[person_id]
            if took <= day <= deadline:
                credited[person_id] = credited.get(person_id, Decimal("0")) + hours
    gaps = []
    for person in people:
        took, deadline, required = windows[person.pk]
        have = credited.get(person.pk, Decimal("0"))
        if have >= required:
            continue
        overdue = deadline is None or deadline < today
        gaps.append(ManagerTrainingGap(person, took, deadline, required, have, overdue))
    return gaps


MANAGER_TRAINING_COLUMNS = [
    "姓名",
    "身份证号",
    "企业",
    "所属村居",
    "牵头部门",
    "任职日期",
    "培训期限",
    "应训学时",
    "已训学时",
    "情况",
]


def manager_training_gaps_rows(gaps: list[ManagerTrainingGap], masking) -> list[list]:
    """The gaps as spreadsheet rows, ID numbers through the export's masking."""
    return [
        [
            gap.person.name,
            masking.id_number(gap.person),
            gap.person.employer.name,
            gap.person.employer.village.name,
            gap.person.employer.lead_department.name,
            gap.took_post_on.isoformat() if gap.took_post_on else "",
            gap.deadline.isoformat() if gap.deadline else "",
            str(gap.required),
            str(gap.credited),
            gap.state_label,
        ]
        for gap in gaps
    ]

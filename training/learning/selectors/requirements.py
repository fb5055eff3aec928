"""Each person's training requirement for a year against the hours the ledger credits.

At most five queries whatever the number of people: the requirement table, the people (with their
employer's risk class), the ledger's sums per person, and the re-training duty after a move
(`retraining.retraining_duties`: the moved people, their workshop and team entries). One person's
file asks for many years at once (`person_requirement_years`): one query, the table.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.constants import EmploymentType, PersonRole, PersonStatus, RiskClass
from directory.models import Person
from training.learning.models.ledger import StudyHourEntry
from training.learning.models.requirements import RequirementKind, TrainingRequirement
from training.learning.selectors.ledger import hours_by_person
from training.learning.selectors.retraining import (
    RetrainingDuty,
    duty_of,
    moved_since,
    retraining_duties,
)

MET = "met"
SHORT = "short"
INITIAL_MISSING = "initial_missing"
NOT_DUE = "not_due"
STATUS_LABELS = {
    MET: gettext_lazy("Met"),
    SHORT: gettext_lazy("Short"),
    INITIAL_MISSING: gettext_lazy("Initial training missing"),
    NOT_DUE: gettext_lazy("Not due"),
}
# The order a manager wants to see them in: the worst first.
STATUS_ORDER = {INITIAL_MISSING: 0, SHORT: 1, MET: 2, NOT_DUE: 3}

# Which kind of training applies to a role, for a person new in the year and for the others.
NEW_KIND = {
    PersonRole.PRINCIPAL: RequirementKind.INITIAL,
    PersonRole.SAFETY_MANAGER: RequirementKind.INITIAL,
    PersonRole.SPECIAL_OPERATOR: RequirementKind.PRE_JOB,
    PersonRole.GENERAL_WORKER: RequirementKind.PRE_JOB,
}
NON_REGULAR = {EmploymentType.DISPATCHED, EmploymentType.OUTSOURCED, EmploymentType.FLEXIBLE}
FIRST_KINDS = {RequirementKind.INITIAL, RequirementKind.PRE_JOB}


@dataclass
class RequirementStatus:
    """One person's requirement and credited hours in a year."""

    person_id: int
    name: str
    enterprise_id: int | None
    enterprise_name: str
    year: int
    required: Decimal
    credited: Decimal
    status: str
    kind: str = ""
    rules: list[TrainingRequirement] = field(default_factory=list)
    # 第十七条: workshop and team re-training after a move or a return (None: not moved).
    retraining: RetrainingDuty | None = None

    @property
    def retraining_label(self) -> str:
        """Empty unless the re-training after a move is still due."""
        if self.retraining is None or self.retraining.met:
            return ""
        return _("Re-training due since %(date)s: %(levels)s missing") % {
            "date": self.retraining.since.isoformat(),
            "levels": self.retraining.missing_labels,
        }

    @property
    def short_by(self) -> Decimal:
        return max(Decimal("0"), self.required - self.credited)

    @property
    def status_label(self) -> str:
        if self.status == SHORT:
            return _("Short by %(hours)s study hours") % {"hours": self.short_by}
        return str(STATUS_LABELS[self.status])

    @property
    def kind_label(self) -> str:
        return str(RequirementKind(self.kind).label) if self.kind else ""


def requirement_table() -> dict[tuple[str, str, str], TrainingRequirement]:
    return {(r.kind, r.person_role, r.risk_class): r for r in TrainingRequirement.objects.all()}


def _rule(table, kind, role, risk):
    return table.get((kind, role, risk)) or table.get((kind, role, ""))


def _rules_for(table, row: dict, roles: list[str], year: int) -> list[TrainingRequirement]:
    hire, since = row["hire_date"], row["post_since"]
    new = hire is not None and hire.year == year
    # 第十七条: moved to another post, or back after a year or more away, in this year.
    moved = since is not None and since.year == year and (hire is None or since > hire)
    risk = row["employer__industry__risk_class"] or RiskClass.GENERAL
    rules = []
    for role in roles:
        kinds = [NEW_KIND.get(role) if new else RequirementKind.ANNUAL]
        if moved:
            kinds.append(RequirementKind.RETRAINING)
        for kind in kinds:
            rule = _rule(table, kind, role, risk) if kind else None
            if rule is None or rule.hours is None:
                continue
            if row["employment_type"] in NON_REGULAR and not rule.includes_non_regular:
                continue
            rules.append(rule)
    return rules


def person_status(
    *, table, row: dict, roles: list[str], credited: Decimal, year: int
) -> RequirementStatus:
    status = RequirementStatus(
        person_id=row["pk"],
        name=row["name"],
        enterprise_id=row["employer_id"],
        enterprise_name=row["employer__name"] or "",
        year=year,
        required=Decimal("0"),
        credited=credited,
        status=NOT_DUE,
    )
    hire = row["hire_date"]
    if row["status"] != PersonStatus.ACTIVE or (hire is not None and hire.year > year):
        return status
    rules = _rules_for(table, row, roles, year)
    if not rules:
        return status
    # The largest rule sets the hours: a re-training after a transfer counts towards the year.
    main = max(rules, key=lambda rule: rule.hours)
    status.rules, status.required, status.kind = rules, main.hours, main.kind
    if credited >= main.hours:
        status.status = MET
    elif main.kind in FIRST_KINDS and not credited:
        status.status = INITIAL_MISSING
    else:
        status.status = SHORT
    return status


ROLE_COLUMNS = {
    PersonRole.PRINCIPAL: "is_principal",
    PersonRole.SAFETY_MANAGER: "is_safety_manager",
    PersonRole.SPECIAL_OPERATOR: "is_special_operator",
    PersonRole.GENERAL_WORKER: "is_general_worker",
}
ROW_FIELDS = (
    "pk",
    "name",
    "hire_date",
    "post_since",
    "status",
    "employment_type",
    "employer_id",
    "employer__name",
    "employer__industry__risk_class",
    *ROLE_COLUMNS.values(),
)


def _roles(row: dict) -> list[str]:
    return [role for role, column in ROLE_COLUMNS.items() if row[column]]


def _row_of(person: Person) -> dict:
    """The `ROW_FIELDS` of a person already read with `employer__industry`."""
    employer = person.employer
    industry = employer.industry if employer is not None else None
    return {
        "pk": person.pk,
        "name": person.name,
        "hire_date": person.hire_date,
        "post_since": person.post_since,
        "status": person.status,
        "employment_type": person.employment_type,
        "employer_id": person.employer_id,
        "employer__name": employer.name if employer is not None else None,
        "employer__industry__risk_class": industry.risk_class if industry is not None else None,
        **{column: getattr(person, column) for column in ROLE_COLUMNS.values()},
    }


def person_requirement_years(
    *,
    person: Person,
    entries: Iterable[StudyHourEntry],
    years: Iterable[int],
    today: datetime.date,
) -> list[RequirementStatus]:
    """One person's requirement in each of `years`, oldest first (一人一档): the same rules as
    `requirement_status`, for a person already read with `employer__industry` and their ledger
    entries already read, so one query (the requirement table) whatever the number of years."""
    table = requirement_table()
    row = _row_of(person)
    credited: dict[int, Decimal] = defaultdict(Decimal)
    levels = []
    for entry in entries:
        credited[entry.date.year] += entry.hours
        levels.append((entry.level, entry.date))
    since = moved_since(hire_date=person.hire_date, post_since=person.post_since)
    duty = duty_of(person_id=person.pk, since=since, entries=levels) if since else None
    result = []
    for year in sorted(years):
        status = person_status(
            table=table, row=row, roles=_roles(row), credited=credited[year], year=year
        )
        if year > today.year:
            status.status = NOT_DUE
        status.retraining = duty
        result.append(status)
    return result


def requirement_status(
    *, people: QuerySet[Person], year: int, today: datetime.date | None = None
) -> list[RequirementStatus]:
    """Each person's requirement for `year`: required, credited, status, and the workshop and
    team re-training still due after a move (第十七条). Five queries at most."""
    table = requirement_table()
    credited = hours_by_person(people=people, year=year)
    duties = retraining_duties(people=people)
    future = today is not None and year > today.year
    result = []
    for row in (
        people.order_by("employer__name", "name", "pk")
        .values(*ROW_FIELDS)
        .iterator(chunk_size=5000)
    ):
        status = person_status(
            table=table,
            row=row,
            roles=_roles(row),
            credited=credited.get(row["pk"], Decimal("0")),
            year=year,
        )
        if future:
            status.status = NOT_DUE
        status.retraining = duties.get(row["pk"])
        result.append(status)
    return result


def status_sorted(statuses: list[RequirementStatus], key: str) -> list[RequirementStatus]:
    """Sorted by a column a manager clicks: name, status (worst first), required, credited."""
    descending = key.startswith("-")
    key = key.lstrip("-")
    keys = {
        "name": lambda s: s.name,
        "status": lambda s: (STATUS_ORDER[s.status], -s.short_by),
        "required": lambda s: s.required,
        "credited": lambda s: s.credited,
        "short_by": lambda s: s.short_by,
    }
    return sorted(statuses, key=keys.get(key, keys["status"]), reverse=descending)


def _risk_q(risk: str) -> Q:
    """People whose employer's risk class is `risk` (no employer or class: general)."""
    q = Q(employer__industry__risk_class=risk)
    if risk == RiskClass.GENERAL:
        q |= Q(employer__industry__risk_class__isnull=True) | Q(employer__industry__risk_class="")
    return q


def required_hours_expression(*, year: int, table=None) -> Case:
    """The hours `person_status` requires of a person in `year`, as one SQL CASE over the person,
    their employer's risk class and the requirement table (0: not due), so a metric can count
    hundreds of thousands of people in the database. The same rules as `_rules_for`: the kind by
    role and hire year, re-training after a move, the risk class's row or the general one, the
    non-regular exclusion; the largest applicable rule wins (the WHENs go from most hours down).
    """
    table = requirement_table() if table is None else table
    new = Q(hire_date__year=year)
    moved = Q(post_since__year=year) & (
        Q(hire_date__isnull=True) | Q(post_since__gt=F("hire_date"))
    )
    conditions: dict[Decimal, Q] = {}
    for role, column in ROLE_COLUMNS.items():
        kinds = [
            (RequirementKind.ANNUAL, ~new | Q(hire_date__isnull=True)),
            (RequirementKind.RETRAINING, moved),
        ]
        if NEW_KIND.get(role):
            kinds.append((NEW_KIND[role], new))
        for kind, when in kinds:
            for risk in RiskClass.values:
                rule = _rule(table, kind, role, risk)
                if rule is None or rule.hours is None:
                    continue
                q = Q(**{column: True}) & when & _risk_q(risk)
                if not rule.includes_non_regular:
                    q &= ~Q(employment_type__in=list(NON_REGULAR))
                conditions[rule.hours] = (
                    conditions[rule.hours] | q if rule.hours in conditions else q
                )
    due = Q(status=PersonStatus.ACTIVE) & (
        Q(hire_date__isnull=True) | Q(hire_date__lte=datetime.date(year, 12, 31))
    )
    whens = [
        When(due & q, then=Value(hours)) for hours, q in sorted(conditions.items(), reverse=True)
    ]
    return Case(
        *whens,
        default=Value(Decimal("0")),
        output_field=DecimalField(max_digits=5, decimal_places=1),
    )

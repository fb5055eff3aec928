"""The metric registry: each coverage metric of the town plan as a small object.

A metric takes its code, label, unit of count and kind (a rate against a denominator, or a plain
count) from its entry in the catalogue (reports.metrics.catalogue), and computes, for a scope and a year, the list of items it counts (`items`): every
enterprise / person / member unit in the denominator with the month by whose end it was covered.
Everything else — the figure of a month, the monthly trend, the ranking of units — is derived from
that one list (reports.selectors.coverage), so a metric costs a bounded number of queries however
many items there are.

`items` returns None when the metric's source is not installed yet: the dashboards then show
"no data", never a number. Plugging a source in is a matter of one module in this package.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from directory.constants import AccountRole, EnterpriseStatus, PersonStatus
from reports.metrics.catalogue import CATALOGUE, Kind, Unit, metric_entry


@dataclass(frozen=True)
class Scope:
    """Which part of the town a figure covers: filters that all hold (none = the whole town).

    `enterprise_id` narrows to one enterprise (its manager's own figures): metrics of member
    units or inspectors have nothing there, and no snapshot or ranking serves it."""

    department_id: int | None = None
    village_id: int | None = None
    industry_id: int | None = None
    enterprise_id: int | None = None

    @property
    def is_town(self) -> bool:
        return not (self.department_id or self.village_id or self.industry_id or self.enterprise_id)

    @property
    def beyond_enterprises(self) -> bool:
        """Whether the scope reaches what is not an enterprise's (inspectors, member units):
        the town or a department alone."""
        return not (self.village_id or self.industry_id or self.enterprise_id)

    def narrowed(self, **filters) -> Scope:
        values = {k: v for k, v in self.__dict__.items() if v}
        values.update({k: v for k, v in filters.items() if v})
        return Scope(**values)

    def enterprise_filters(self, prefix: str = "") -> dict:
        filters = {
            "lead_department_id": self.department_id,
            "village_id": self.village_id,
            "industry_id": self.industry_id,
            "pk": self.enterprise_id,
        }
        return {f"{prefix}{k}": v for k, v in filters.items() if v}

    def enterprises(self) -> QuerySet:
        """The active enterprises of the scope."""
        from directory.models import Enterprise

        return Enterprise.objects.filter(
            status=EnterpriseStatus.ACTIVE, **self.enterprise_filters()
        )

    def employees(self) -> QuerySet:
        """The people in post employed by the scope's active enterprises (attached people
        left out: a principal is the principal of the employer)."""
        from directory.models import Person

        return Person.objects.filter(
            status=PersonStatus.ACTIVE,
            employer__status=EnterpriseStatus.ACTIVE,
            **self.enterprise_filters("employer__"),
        )

    def members(self) -> QuerySet:
        """The people in post who work for one of the scope's active enterprises today: its
        employees and the people attached to it (directory.models.relations.works_for_q), each
        once however many of them they work for."""
        from directory.models import Person
        from directory.models.relations import attached_people

        return Person.objects.filter(status=PersonStatus.ACTIVE).filter(
            Q(employer__status=EnterpriseStatus.ACTIVE, **self.enterprise_filters("employer__"))
            | Q(pk__in=attached_people(self.enterprises().values("pk")))
        )

    def people(self) -> QuerySet:
        """The people a figure of the scope counts, each once.

        One enterprise counts whoever works for it (`members`: employees and attached people).
        A unit (the town, a department, village or industry) counts each person at one
        enterprise only, their home (`home_units`): the employer while it is active, else the
        host of an attachment. So a contractor's worker attached to a host counts once in the
        town and once in the unit of the employer, and the units' figures add up to the town's.
        """
        from directory.models import Person
        from directory.models.relations import attached_people

        if self.enterprise_id:
            return self.members()
        active = Person.objects.filter(status=PersonStatus.ACTIVE)
        attached = (Q(employer__isnull=True) | ~Q(employer__status=EnterpriseStatus.ACTIVE)) & Q(
            pk__in=attached_people(self.enterprises().values("pk"))
        )
        if self.is_town:
            return active.filter(Q(employer__status=EnterpriseStatus.ACTIVE) | attached)
        employed = Q(employer_id__in=self.enterprises().values("pk"))
        if not self.village_id:
            # A department's or an industry's people (tens of thousands in a district): a test on
            # the person's own row (the employer among the unit's enterprises), which PostgreSQL
            # checks while it walks the people by name, so a page of fifty stops early. Through
            # the joined employer, that test came after a metric's costlier ones, for everyone.
            return active.filter(employed | attached)
        # A village's few people by their ids, joined to the people by key: sorting a village's
        # uncovered people is cheaper than walking the town's by name.
        ids = (
            Person.objects.filter(employed)
            .order_by()
            .values("pk")
            .union(Person.objects.filter(attached).order_by().values("pk"))
        )
        return active.filter(pk__in=ids)


def home_units() -> dict:
    """For a Person queryset: the department, village and industry a person counts in (`home_d`,
    `home_v`, `home_i`) and the enterprise (`home_e`) — the employer's while it is active, else
    those of the host of the person's earliest attachment in force (a flexible worker without an
    employer, or one whose employer closed)."""
    from directory.models import Attachment
    from directory.models.relations import current_q

    def unit(path: str, employer_path: str):
        host = Subquery(
            Attachment.objects.filter(
                current_q(),
                person=OuterRef("pk"),
                host__status=EnterpriseStatus.ACTIVE,
            )
            .order_by("starts_on", "pk")
            .values(path)[:1]
        )
        return Coalesce(
            Case(
                When(employer__status=EnterpriseStatus.ACTIVE, then=F(employer_path)),
                default=Value(None),
                output_field=IntegerField(),
            ),
            host,
            output_field=IntegerField(),
        )

    return {
        "home_d": unit("host__lead_department_id", "employer__lead_department_id"),
        "home_v": unit("host__village_id", "employer__village_id"),
        "home_i": unit("host__industry_id", "employer__industry_id"),
        "home_e": unit("host_id", "employer_id"),
    }


def enterprise_rows(people: QuerySet, scope: Scope) -> list[tuple[int, int | None, int]]:
    """(enterprise id, covered month, count) of `people` (annotated with `covered`) grouped by
    each of the scope's enterprises they work for: their employer, and every host they are
    attached to today. A person counts once per enterprise, at more than one enterprise when
    attached (the host's figures and the contractor's both include them)."""
    from directory.models import Attachment
    from directory.models.relations import current_q

    enterprises = scope.enterprises().values("pk")
    employed = (
        people.filter(employer__in=enterprises)
        .order_by()
        .values_list("employer_id", "covered")
        .annotate(n=Count("pk"))
    )
    covered = Subquery(people.filter(pk=OuterRef("person_id")).values("covered")[:1])
    attached = (
        Attachment.objects.filter(current_q(), host__in=enterprises, person__in=people.values("pk"))
        .exclude(host_id=F("person__employer_id"))
        .annotate(covered=covered)
        .order_by()
        .values_list("host_id", "covered")
        .annotate(n=Count("person_id", distinct=True))
    )
    # One query for both, so a home lists its lagging enterprises in as many queries as before.
    return list(employed.union(attached, all=True))


@dataclass(frozen=True, slots=True)
class Item:
    """Items a metric counts (`count` of them, usually aggregated by the database) that belong to
    the same department, village and industry and were covered in the same month.

    `covered_month` is the month (1–12) by whose end they were covered that year, 0 when covered
    before the year began, None when not covered.
    """

    department_id: int | None
    village_id: int | None
    industry_id: int | None
    covered_month: int | None
    count: int = 1


@dataclass(frozen=True)
class Measure:
    numerator: int
    # None for a count metric (no denominator).
    denominator: int | None

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return 100.0 * self.numerator / self.denominator


class Metric:
    """A coverage metric; subclasses name their catalogue entry by `code` and implement the
    source hooks (`register` fills in the rest of the class attributes from the entry)."""

    code: str = ""
    label = ""
    description = ""
    unit: str = Unit.ENTERPRISES
    kind: str = Kind.RATE
    order: int = 100
    # The plan item or rule the metric comes from (regulations.md).
    source_note: str = ""
    # Where a reminded account goes to do what is missing.
    action_link: str = ""

    def items(self, *, scope: Scope, year: int) -> list[Item] | None:
        """The denominator's items, grouped by unit and covered month, with their counts;
        None while there is no source. Aggregate in the database: a dashboard calls this once
        per metric and derives every figure from the result."""
        return None

    def uncovered(self, *, scope: Scope, year: int, month: int) -> QuerySet | None:
        """The queryset of items not covered by the end of `month`; None while there is no source."""
        return None

    def enterprise_items(self, *, scope: Scope, year: int) -> list[tuple[int, int | None, int]]:
        """The same items as `items`, grouped by the enterprise they belong to instead of by
        unit: (enterprise id, covered month, count). Empty for a metric that counts no
        enterprise's own (inspectors, member units, a count)."""
        return []

    @property
    def unit_label(self) -> str:
        return Unit(self.unit).label

    @property
    def has_source(self) -> bool:
        return type(self).items is not Metric.items

    def reminder_recipients_with_items(self, uncovered: QuerySet) -> QuerySet:
        """(account id, item id, item name) of the accounts a reminder about `uncovered` goes
        to, by the metric's unit: the person's own account, the enterprise's safety managers,
        the member unit's officers."""
        from directory.models import User

        active = User.objects.filter(is_active=True).order_by("pk")
        if self.unit == Unit.ENTERPRISES:
            return active.filter(
                role=AccountRole.ENTERPRISE_MANAGER, enterprise__in=uncovered.values("pk")
            ).values_list("pk", "enterprise_id", "enterprise__name")
        if self.unit == Unit.PEOPLE:
            return active.filter(person__in=uncovered.values("pk")).values_list(
                "pk", "person__pk", "person__name"
            )
        return active.filter(
            role=AccountRole.DEPARTMENT_OFFICER, department__in=uncovered.values("pk")
        ).values_list("pk", "department_id", "department__name")

    def reminder_hours(self, *, person_ids: set[int], year: int) -> dict[int, tuple]:
        """(hours required, hours done) of each person, for metrics counting hours."""
        return {}

    # What an uncovered item lacks, in plain words, as a column of the drill-down (`lacking`
    # reads what `uncovered` annotated); metrics whose lack goes without saying leave it None.
    lacking = None

    def __repr__(self) -> str:
        return f"<Metric {self.code}>"


REGISTRY: dict[str, Metric] = {}


# `covered` with NULL (never covered) as month 13: "not covered by the end of `month`" as one
# comparison, so the database evaluates the `covered` expression once per row, not once for each
# half of `covered IS NULL OR covered > month` (the certificate metrics' status CASE is costly).
COVERED_OR_NEVER = Coalesce(F("covered"), Value(13), output_field=IntegerField())


class PeopleMetric(Metric):
    """A metric of enterprises' people: `counted` narrows a queryset of people to those it
    counts, each annotated with the month it is `covered` from (NULL: not covered); who the
    people of a scope are (`Scope.people`, `Scope.members`) and the grouping by unit and by
    enterprise are the same for every such metric."""

    def counted(self, people: QuerySet, *, year: int) -> QuerySet:
        raise NotImplementedError

    def people(self, *, scope: Scope, year: int) -> QuerySet:
        return self.counted(scope.people(), year=year)

    def items(self, *, scope: Scope, year: int) -> list[Item]:
        rows = (
            self.people(scope=scope, year=year)
            .annotate(**home_units())
            .order_by()
            .values_list("home_d", "home_v", "home_i", "covered")
            .annotate(n=Count("pk"))
        )
        return [Item(*row) for row in rows]

    def enterprise_items(self, *, scope: Scope, year: int) -> list[tuple[int, int | None, int]]:
        return enterprise_rows(self.counted(scope.members(), year=year), scope)


def register(metric_class: type[Metric]) -> type[Metric]:
    """Class decorator: one instance of each catalogued metric, looked up by its code."""
    entry = metric_entry(metric_class.code)
    if entry is None:
        raise ImproperlyConfigured(f"Metric {metric_class.code!r} is not in the catalogue.")
    for name in ("label", "description", "unit", "kind", "order", "source_note", "action_link"):
        setattr(metric_class, name, getattr(entry, name))
    REGISTRY[entry.code] = metric_class()
    return metric_class


def registry_check() -> None:
    """Every catalogue entry has its computing class (ReportsConfig.ready, after loading them)."""
    missing = sorted({entry.code for entry in CATALOGUE} - set(REGISTRY))
    if missing:
        raise ImproperlyConfigured(f"Metrics without a computing class: {', '.join(missing)}")


def metric_list() -> list[Metric]:
    return sorted(REGISTRY.values(), key=lambda m: (m.order, m.code))


def metric_get(code: str) -> Metric | None:
    return REGISTRY.get(code)

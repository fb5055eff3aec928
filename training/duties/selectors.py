"""Reads of the principals' duties, each scoped through its enterprise like the registry: an
enterprise sees its own, a department the enterprises it leads, a village those in the village,
the town office all."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from directory.constants import AccountRole, EnterpriseStatus, PersonStatus
from directory.models import Enterprise, Person, User
from directory.selectors import account_role, enterprises_editable_by, enterprises_visible_to
from training.common.actions import ActionStatus
from training.duties.models import (
    ChecklistEntry,
    ChecklistStatus,
    DutyItem,
    InspectionHazard,
    PrincipalChecklist,
    SelfInspection,
)
from training.duties.rules import checklist_state, quarter_bounds, quarter_state


def _through_enterprise(model, path: str):
    def visible(user: User, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return qs.filter(**{f"{path}__in": enterprises_visible_to(user)})

    def editable(user: User, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return qs.filter(**{f"{path}__in": enterprises_editable_by(user)})

    visible.__name__ = f"{model._meta.model_name}_visible_to"
    editable.__name__ = f"{model._meta.model_name}_editable_by"
    return visible, editable


checklists_visible_to, checklists_editable_by = _through_enterprise(
    PrincipalChecklist, "enterprise"
)
checklist_entries_visible_to, checklist_entries_editable_by = _through_enterprise(
    ChecklistEntry, "checklist__enterprise"
)
self_inspections_visible_to, self_inspections_editable_by = _through_enterprise(
    SelfInspection, "enterprise"
)
hazards_visible_to, hazards_editable_by = _through_enterprise(
    InspectionHazard, "inspection__enterprise"
)

SCOPES = {
    PrincipalChecklist: (checklists_visible_to, checklists_editable_by),
    ChecklistEntry: (checklist_entries_visible_to, checklist_entries_editable_by),
    SelfInspection: (self_inspections_visible_to, self_inspections_editable_by),
    InspectionHazard: (hazards_visible_to, hazards_editable_by),
}


def duty_items() -> QuerySet[DutyItem]:
    """The items in use, in their order."""
    return DutyItem.objects.filter(active=True).order_by("sort_order", "pk")


def duty_items_unconfirmed(items) -> list[DutyItem]:
    return [item for item in items if not item.wording_confirmed]


def principals_of(enterprises: QuerySet[Enterprise]) -> QuerySet[Person]:
    """The principals in post at active enterprises among `enterprises`."""
    return (
        Person.objects.filter(
            is_principal=True,
            status=PersonStatus.ACTIVE,
            employer__in=enterprises.filter(status=EnterpriseStatus.ACTIVE),
        )
        .select_related("employer")
        .order_by("employer__name", "name", "pk")
    )


@dataclass(frozen=True)
class PrincipalDutyRow:
    principal: Person
    checklist: PrincipalChecklist | None
    state: str

    @property
    def status_label(self) -> str:
        if self.checklist is None:
            return ""
        return self.checklist.get_status_display()


def principal_checklist_rows(
    user: User, *, year: int, today: datetime.date, enterprise: Enterprise | None = None
) -> list[PrincipalDutyRow]:
    """Each visible principal's checklist of `year` (or none yet) and its due / done / overdue
    state; two queries."""
    enterprises = enterprises_visible_to(user)
    if enterprise is not None:
        enterprises = enterprises.filter(pk=enterprise.pk)
    principals = list(principals_of(enterprises))
    checklists = {
        (c.principal_id, c.enterprise_id): c
        for c in PrincipalChecklist.objects.filter(
            year=year, principal__in=[p.pk for p in principals]
        )
    }
    rows = []
    for person in principals:
        checklist = checklists.get((person.pk, person.employer_id))
        accepted = checklist is not None and checklist.status == ChecklistStatus.ACCEPTED
        rows.append(
            PrincipalDutyRow(
                principal=person,
                checklist=checklist,
                state=checklist_state(year=year, accepted=accepted, today=today),
            )
        )
    return rows


def checklist_with_entries(checklist: PrincipalChecklist) -> dict[int, ChecklistEntry]:
    """The checklist's entries keyed by item id."""
    return {entry.item_id: entry for entry in checklist.entries.all()}


def checklists_awaiting_review(user: User) -> QuerySet[PrincipalChecklist]:
    """Submitted checklists the user may review (a department its enterprises; the town all)."""
    if account_role(user) not in (AccountRole.DEPARTMENT_OFFICER, AccountRole.TOWN_OFFICE):
        return PrincipalChecklist.objects.none()
    return checklists_visible_to(user).filter(status=ChecklistStatus.SUBMITTED)


@dataclass(frozen=True)
class QuarterRow:
    quarter: int
    start: datetime.date
    end: datetime.date
    state: str
    inspections: list


def enterprise_quarters(
    enterprise: Enterprise, *, year: int, today: datetime.date
) -> list[QuarterRow]:
    """The four quarters of `year` for one enterprise: its inspections (with their hazards) and
    whether the quarter's inspection is due, done or overdue; two queries."""
    inspections = list(
        SelfInspection.objects.filter(enterprise=enterprise, date__year=year)
        .select_related("principal")
        .prefetch_related(
            Prefetch("hazards", queryset=InspectionHazard.objects.order_by("due_date", "pk"))
        )
        .order_by("date", "pk")
    )
    rows = []
    for quarter in (1, 2, 3, 4):
        start, end = quarter_bounds(year, quarter)
        inside = [i for i in inspections if start <= i.date <= end]
        rows.append(
            QuarterRow(
                quarter=quarter,
                start=start,
                end=end,
                state=quarter_state(
                    year=year, quarter=quarter, inspected=bool(inside), today=today
                ),
                inspections=inside,
            )
        )
    return rows


@dataclass(frozen=True)
class EnterpriseQuarterRow:
    enterprise: Enterprise
    state: str
    last_date: datetime.date | None


def enterprises_quarter_rows(
    user: User, *, year: int, quarter: int, today: datetime.date
) -> list[EnterpriseQuarterRow]:
    """Each visible active enterprise with its self-inspection state for one quarter (the
    department's and the town's list of who has and has not inspected); two queries."""
    start, end = quarter_bounds(year, quarter)
    enterprises = list(
        enterprises_visible_to(user).filter(status=EnterpriseStatus.ACTIVE).order_by("name", "pk")
    )
    last: dict[int, datetime.date] = {}
    for enterprise_id, date in SelfInspection.objects.filter(
        enterprise__in=[e.pk for e in enterprises], date__gte=start, date__lte=end
    ).values_list("enterprise_id", "date"):
        last[enterprise_id] = max(date, last.get(enterprise_id, date))
    return [
        EnterpriseQuarterRow(
            enterprise=e,
            state=quarter_state(year=year, quarter=quarter, inspected=e.pk in last, today=today),
            last_date=last.get(e.pk),
        )
        for e in enterprises
    ]


def hazards_open_overdue(user: User, today: datetime.date) -> QuerySet[InspectionHazard]:
    return hazards_visible_to(user).filter(status=ActionStatus.OPEN, due_date__lt=today)

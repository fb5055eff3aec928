"""Reads of the monthly reports: scoping, the units that owe a report, who is late."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from directory.constants import AccountRole
from directory.models import Department, User, Village
from directory.scoping import narrow_to_unit, unit_of
from reports.metrics import Scope
from reports.models import DUE_DAY, SENT_STATUSES, MonthlyReport, TownMonthlyReport


def monthly_reports_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    qs = MonthlyReport.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user, department="department", village="village")


def town_reports_visible_to(user: User) -> QuerySet[TownMonthlyReport]:
    """The town's compiled reports: the town safety office's alone."""
    return narrow_to_unit(TownMonthlyReport.objects.all(), user)


def monthly_reports_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """The unit edits its own report; the town office reviews (state checks in the services)."""
    return monthly_reports_visible_to(user, queryset)


@dataclass(frozen=True)
class ReportingUnit:
    """A department or a village that owes the town a monthly report."""

    kind: str  # "department" or "village"
    pk: int
    name: str

    @property
    def scope(self) -> Scope:
        return Scope(**{f"{self.kind}_id": self.pk})

    @property
    def report_filter(self) -> dict:
        return {f"{self.kind}_id": self.pk}

    def officers(self) -> QuerySet:
        role = (
            AccountRole.DEPARTMENT_OFFICER
            if self.kind == "department"
            else AccountRole.VILLAGE_OFFICER
        )
        return User.objects.filter(is_active=True, role=role, **self.report_filter)


def reporting_units() -> list[ReportingUnit]:
    """Every department (the town office itself excepted) and every village."""
    departments = Department.objects.filter(is_town_office=False).values_list("pk", "name")
    villages = Village.objects.values_list("pk", "name")
    return [ReportingUnit("department", pk, name) for pk, name in departments] + [
        ReportingUnit("village", pk, name) for pk, name in villages
    ]


def reporting_unit_of(user: User) -> ReportingUnit | None:
    unit = unit_of(user)
    if unit is None or unit.kind not in ("department", "village"):
        return None
    return ReportingUnit(unit.kind, unit.pk, str(getattr(user, unit.kind)))


@dataclass
class UnitStatus:
    unit: ReportingUnit
    report: MonthlyReport | None

    @property
    def sent(self) -> bool:
        return self.report is not None and self.report.status in SENT_STATUSES


def month_statuses(year: int, month: int) -> list[UnitStatus]:
    """Each reporting unit with its report of the month, if any (three queries)."""
    reports = MonthlyReport.objects.filter(year=year, month=month)
    by_unit = {}
    for report in reports:
        kind = "department" if report.department_id else "village"
        by_unit[kind, report.department_id or report.village_id] = report
    return [UnitStatus(u, by_unit.get((u.kind, u.pk))) for u in reporting_units()]


def units_not_sent(year: int, month: int) -> list[ReportingUnit]:
    return [s.unit for s in month_statuses(year, month) if not s.sent]


def due_date(year: int, month: int) -> datetime.date:
    """The last day to send a month's report: the 25th (before the 26th)."""
    return datetime.date(year, month, DUE_DAY - 1)


def late_units(year: int, month: int, today: datetime.date) -> list[ReportingUnit]:
    """Units that had not sent the month's report by its due date (empty before the 26th)."""
    if today <= due_date(year, month):
        return []
    return units_not_sent(year, month)


@dataclass(frozen=True)
class ReportDue:
    """A unit's report of the current month: when it is due and whether it has been sent."""

    unit: ReportingUnit
    year: int
    month: int
    due: datetime.date
    sent: bool


def report_due_for(user: User, today: datetime.date) -> ReportDue | None:
    """The user's unit's report of this month (None for a user whose unit sends none)."""
    unit = reporting_unit_of(user)
    if unit is None:
        return None
    sent = MonthlyReport.objects.filter(
        year=today.year, month=today.month, status__in=SENT_STATUSES, **unit.report_filter
    ).exists()
    return ReportDue(unit, today.year, today.month, due_date(today.year, today.month), sent)

"""Demo data of the reports app for seed_demo: the plan's targets, a unit target, exemplary
enterprises, drill records where the drills app has none, monthly reports in every state, the
reminders of the demo department to those it finds short this month, and the first snapshot.

Monthly reports: every unit sent its report of each month gone by this year (figures frozen as
of the month's end, read from the snapshot written first), the earlier months' accepted, last
month's in every state, but one unit has not sent last month's (late); this month's draft of
the demo department. A sent report's task lines are frozen as a submission freezes them, and its
task counts are those of the unit's tasks (0 before the task list is seeded).

Deterministic (one seeded random generator, enterprises in id order) and idempotent (each part
writes only what is missing; a reminder goes once per metric, month and account)."""

import datetime
import random

from django.utils import timezone

from directory.constants import EnterpriseStatus
from directory.models import Department, Enterprise, User
from directory.scale_load import database_analyse
from reports.metrics import Scope, metric_get
from reports.models import (
    ExemplaryEnterprise,
    MetricSnapshot,
    MonthlyReport,
    ReportStatus,
    Target,
)
from reports.plan import plan_targets_create
from reports.sections import TaskCounts, report_sections
from reports.selectors.monthly import ReportingUnit, reporting_units
from reports.services.monthly import figures_snapshot
from reports.services.reminders import coverage_remind
from reports.services.snapshots import snapshots_refresh
from training.models import DrillRecord, ReviewStatus

DEMO_DEPARTMENT = "经发办"
# Share of the demo enterprises that held their drill(s) this year.
DRILLED_SHARE = 0.6
NARRATIVE = {
    "work_done": "组织辖区企业开展安全生产培训和应急疏散演练，督促企业完善人员名册。",
    "problems": "部分小微企业演练记录不完整，个别企业主要负责人未按时参加培训。",
    "next_month_plan": "逐家督促未完成演练的企业，月底前完成补训补考。",
}


def reports_seed(*, stdout, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    created = plan_targets_create(Target)
    created += _unit_target(today.year)
    created += _exemplary()
    created += _drills(today)
    created += _snapshot(today)
    created += _monthly_reports(today)
    created += _reminders(today)
    stdout.write(f"Reports demo ready ({created} rows added).")


def _unit_target(year: int) -> int:
    department = Department.objects.filter(name=DEMO_DEPARTMENT).first()
    if department is None:
        return 0
    _t, created = Target.objects.get_or_create(
        metric="drill_coverage",
        scope="department",
        department=department,
        deadline=datetime.date(year, 9, 30),
        defaults={"year": year, "target_percent": 90, "note": "经发办自定目标"},
    )
    return int(created)


# What the public page of exemplary enterprises shows for the demo town's choices.
DEMO_REASONS = (
    "主要负责人带队开展隐患自查，隐患整改闭环；全员安全培训学时达标；"
    "每年组织两次以上应急疏散演练并如实记录。"
)


def _exemplary() -> int:
    created = 0
    for department in Department.objects.filter(is_town_office=False).order_by("sort_order")[:4]:
        for enterprise in department.enterprises.order_by("pk")[:2]:
            _e, was = ExemplaryEnterprise.objects.get_or_create(
                enterprise=enterprise,
                year=2024,
                defaults={
                    "named_on": datetime.date(2024, 11, 15),
                    "reasons": DEMO_REASONS,
                    "note": "演示",
                },
            )
            created += was
    return created


def _drills(today: datetime.date) -> int:
    """Drill records for this year, unless the drills app has seeded its own."""
    if DrillRecord.objects.filter(date__year=today.year).exists():
        return 0
    rng = random.Random(2026)
    records = []
    enterprises = Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE).order_by("pk")
    for enterprise in enterprises.only("pk"):
        if rng.random() > DRILLED_SHARE:
            continue
        for month in sorted({rng.randint(1, today.month), rng.randint(1, today.month)}):
            day = datetime.date(today.year, month, min(rng.randint(1, 28), today.day))
            if day > today:
                continue
            records.append(
                DrillRecord(
                    enterprise=enterprise,
                    date=day,
                    scenario="fire_evacuation",
                    plan_type="comprehensive",
                    alarm_time=datetime.time(14, 0),
                    all_clear_time=datetime.time(14, rng.randint(3, 9)),
                    headcount=20,
                    evacuated=20 - rng.randint(0, 2),
                    review_status=ReviewStatus.ACCEPTED,
                )
            )
    DrillRecord.objects.bulk_create(records, batch_size=500)
    return len(records)


def _units() -> list[ReportingUnit]:
    """Every reporting unit, departments then villages, each by name (a fixed order)."""
    return sorted(reporting_units(), key=lambda u: (u.kind != "department", u.name))


def _monthly_reports(today: datetime.date) -> int:
    """Every unit's report of each month gone by: last month's in every state (the first nine
    units accepted, submitted, returned in turn, the rest submitted) but one unit's, not sent
    (late); earlier months' accepted, each sent on the 20th; this month's draft of the demo
    department."""
    units = _units()
    late = units[-1]
    created = 0
    # The metrics' items per (metric, scope, year), read once for all the months.
    cache: dict = {}
    for month in range(1, today.month):
        last = month == today.month - 1
        for index, unit in enumerate(units):
            if last and unit == late:
                continue
            if not last:
                status = ReportStatus.ACCEPTED
            elif index < len(LAST_MONTH_STATES) * 3:
                status = LAST_MONTH_STATES[index % len(LAST_MONTH_STATES)]
            else:
                status = ReportStatus.SUBMITTED
            sent_on = min(datetime.date(today.year, month, 20), today)
            created += _report(
                unit,
                datetime.date(today.year, month, 1),
                status,
                today,
                submitted_at=timezone.make_aware(
                    datetime.datetime.combine(sent_on, datetime.time(16))
                ),
                cache=cache,
            )
    if today.month == 1:
        # January: last month is December of last year; its reports in every state.
        december = datetime.date(today.year - 1, 12, 1)
        for index, unit in enumerate(units[: len(LAST_MONTH_STATES) * 3]):
            created += _report(
                unit,
                december,
                LAST_MONTH_STATES[index % len(LAST_MONTH_STATES)],
                today,
                cache=cache,
            )
    demo = next((u for u in units if u.name == DEMO_DEPARTMENT), None)
    if demo is not None:
        created += _report(demo, today, ReportStatus.DRAFT, today)
    return created


# The metrics the demo department reminds its units' accounts of (people: their own accounts;
# enterprises: their managers).
REMINDED = ("training_hours", "drill_duties_met", "principal_training")
LAST_MONTH_STATES = [ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.RETURNED]


def _reminders(today: datetime.date) -> int:
    """The demo department's officer reminds those its figures find short this month."""
    officer = User.objects.filter(username="dept").first()
    if officer is None or officer.department_id is None:
        return 0
    sent = 0
    for code in REMINDED:
        metric = metric_get(code)
        if metric is None:
            continue
        _accounts, new = coverage_remind(
            user=officer,
            metric=metric,
            scope=Scope(department_id=officer.department_id),
            year=today.year,
            month=today.month,
        )
        sent += new
    return sent


def _snapshot(today: datetime.date) -> int:
    """The first snapshot of the year, so the first dashboard reads stored figures (beat keeps
    it fresh; one that exists is the beat's to replace) and the reports' frozen figures are
    read from it rather than counted again for each unit and month."""
    if MetricSnapshot.objects.filter(year=today.year).exists():
        return 0
    # The demo's people, ledger and records were just written in bulk: planner statistics first
    # (as seed_scale gives), or PostgreSQL plans the figures' grouped passes as if the tables
    # were empty (25 s instead of 1 s on a new database).
    database_analyse()
    return len(snapshots_refresh(year=today.year))


def _report(
    unit,
    month_start: datetime.date,
    status: str,
    today: datetime.date,
    submitted_at: datetime.datetime | None = None,
    cache: dict | None = None,
) -> int:
    if MonthlyReport.objects.filter(
        year=month_start.year, month=month_start.month, **unit.report_filter
    ).exists():
        return 0
    sent = status != ReportStatus.DRAFT
    report = MonthlyReport.objects.create(
        year=month_start.year,
        month=month_start.month,
        status=status,
        figures=figures_snapshot(
            unit=unit, year=month_start.year, month=month_start.month, today=today
        )
        if sent
        else [],
        review_comment="请补充未完成演练企业的督促情况。"
        if status == ReportStatus.RETURNED
        else "",
        submitted_at=(submitted_at or timezone.now()) if sent else None,
        **NARRATIVE,
        **unit.report_filter,
    )
    if sent:
        # As a submission does: the sections (the plan's task lines) frozen, the task counts
        # those of the unit's tasks (none until the task list is seeded).
        counts = TaskCounts()
        for section in report_sections():
            counts += section.freeze(user=None, report=report, today=today, cache=cache)
        MonthlyReport.objects.filter(pk=report.pk).update(
            tasks_total=counts.total, tasks_done=counts.done
        )
    return 1

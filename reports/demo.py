"""Demo data of the reports app for seed_demo: the plan's targets, a unit target, exemplary
enterprises, drill records where the drills app has none, and monthly reports in every state.

Deterministic (one seeded random generator, enterprises in id order) and idempotent (each part
writes only what is missing)."""

import datetime
import random

from django.utils import timezone

from directory.constants import EnterpriseStatus
from directory.models import Department, Enterprise, Village
from reports.models import ExemplaryEnterprise, MonthlyReport, ReportStatus, Target
from reports.plan import plan_targets_create
from reports.selectors.monthly import ReportingUnit
from reports.services.monthly import figures_snapshot
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
    created += _monthly_reports(today)
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


def _exemplary() -> int:
    created = 0
    for department in Department.objects.filter(is_town_office=False).order_by("sort_order")[:4]:
        for enterprise in department.enterprises.order_by("pk")[:2]:
            _e, was = ExemplaryEnterprise.objects.get_or_create(
                enterprise=enterprise,
                year=2024,
                defaults={"named_on": datetime.date(2024, 11, 15), "note": "演示"},
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


def _monthly_reports(today: datetime.date) -> int:
    """Last month's reports in every state; this month's draft of the demo department."""
    last = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    states = [ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.RETURNED]
    units = [
        ReportingUnit("department", pk, name)
        for pk, name in Department.objects.filter(is_town_office=False)
        .order_by("sort_order")
        .values_list("pk", "name")[:6]
    ] + [
        ReportingUnit("village", pk, name)
        for pk, name in Village.objects.order_by("name").values_list("pk", "name")[:3]
    ]
    created = 0
    for index, unit in enumerate(units):
        status = states[index % len(states)]
        created += _report(unit, last, status, today)
    demo = next((u for u in units if u.name == DEMO_DEPARTMENT), None)
    if demo is not None:
        created += _report(demo, today, ReportStatus.DRAFT, today)
    return created


def _report(unit, month_start: datetime.date, status: str, today: datetime.date) -> int:
    if MonthlyReport.objects.filter(
        year=month_start.year, month=month_start.month, **unit.report_filter
    ).exists():
        return 0
    sent = status != ReportStatus.DRAFT
    MonthlyReport.objects.create(
        year=month_start.year,
        month=month_start.month,
        status=status,
        figures=figures_snapshot(
            unit=unit, year=month_start.year, month=month_start.month, today=today
        )
        if sent
        else [],
        tasks_total=6,
        tasks_done=4 if sent else 2,
        review_comment="请补充未完成演练企业的督促情况。"
        if status == ReportStatus.RETURNED
        else "",
        submitted_at=timezone.now() if sent else None,
        **NARRATIVE,
        **unit.report_filter,
    )
    return 1

"""Demo drills for `manage.py seed_demo`: plans and records of the demo town, one record of the
demo manager's enterprise with evidence-free follow-up (a corrective action, an observation).

Deterministic (one seeded generator, enterprises in credit-code order) and idempotent (a second
run finds the demo records and writes nothing).
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from directory.constants import EnterpriseStatus
from directory.models import Enterprise, User
from training.drills.models.corrective_actions import CorrectiveAction
from training.drills.models.observations import DrillObservation
from training.drills.models.profile import DrillProfile
from training.drills.models.records import DrillPlan, DrillRecord, DrillScenario, PlanType

SHARE_PLANNED = 0.6
SHARE_DRILLED = 0.45
SHARE_ON_SITE_PLAN = 0.1


def _record(enterprise, day: datetime.date, rng: random.Random) -> DrillRecord:
    headcount = max(enterprise.headcount or 0, 5)
    minutes = rng.randint(2, 8)
    return DrillRecord(
        enterprise=enterprise,
        date=day,
        scenario=rng.choice(DrillScenario.values),
        plan_type=rng.choice([PlanType.COMPREHENSIVE, PlanType.SPECIAL]),
        alarm_time=datetime.time(14, 0),
        all_clear_time=datetime.time(14, minutes, rng.randint(0, 59)),
        headcount=headcount,
        evacuated=headcount - rng.randint(0, min(3, headcount - 1)),
        problems_found=rng.choice(["", "疏散通道有杂物堆放", "部分员工不熟悉集合点"]),
        evaluation="疏散总体有序",
    )


@transaction.atomic
def drills_seed(*, stdout=None) -> int:
    """Write the demo drills unless present; returns how many records were written."""
    if DrillRecord.objects.exists():
        return 0
    rng = random.Random(2028)
    today = timezone.localdate()
    year = today.year
    enterprises = list(
        Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE).order_by("credit_code")
    )
    plans, records, profiles = [], [], []
    for enterprise in enterprises:
        if rng.random() < SHARE_ON_SITE_PLAN:
            profiles.append(DrillProfile(enterprise=enterprise, keeps_on_site_plan=True))
        if rng.random() < SHARE_PLANNED:
            planned = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
            plans.append(
                DrillPlan(
                    enterprise=enterprise,
                    year=year,
                    planned_date=planned,
                    scenario=rng.choice(DrillScenario.values),
                    plan_type=rng.choice(PlanType.values),
                )
            )
        if rng.random() < SHARE_DRILLED:
            day = min(today, datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)))
            records.append(_record(enterprise, day, rng))
    DrillProfile.objects.bulk_create(profiles)
    DrillPlan.objects.bulk_create(plans)
    DrillRecord.objects.bulk_create(records)
    _manager_follow_up(today, rng)
    if stdout is not None:
        stdout.write(f"Drills: {len(plans)} plans, {len(records) + 1} records.\n")
    return len(records) + 1


def _manager_follow_up(today: datetime.date, rng: random.Random) -> None:
    """The demo manager's enterprise: a drill with a problem, its corrective actions and an
    officer's on-site observation, so every screen has something to show."""
    manager = User.objects.filter(username="manager").select_related("enterprise").first()
    if manager is None or manager.enterprise is None:
        return
    day = today - datetime.timedelta(days=20)
    record = _record(manager.enterprise, day, rng)
    record.problems_found = "二楼疏散通道堆放杂物；部分员工不熟悉集合点"
    record.recorded_by = manager
    record.save()
    CorrectiveAction.objects.create(
        record=record,
        problem="二楼疏散通道堆放杂物",
        measure="清理杂物，设置禁止堆放标识",
        owner="仓库主管",
        due_date=day + datetime.timedelta(days=10),
        created_by=manager,
    )
    CorrectiveAction.objects.create(
        record=record,
        problem="部分员工不熟悉集合点",
        measure="班前会讲解疏散路线与集合点",
        owner="安全员",
        due_date=today + datetime.timedelta(days=30),
        created_by=manager,
    )
    officer = User.objects.filter(username="village").first()
    if officer is not None:
        DrillObservation.objects.create(
            record=record,
            observer=officer,
            observer_name=officer.get_full_name() or officer.username,
            observed_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 3))),
            note="报警后员工迅速撤离，二楼通道略有拥堵。",
        )

"""Demo drills for `manage.py seed_demo`: plans and records of the demo town, one record of the
demo manager's enterprise with evidence-free follow-up (a corrective action, an observation), and
three enterprises whose drills tell the duties' stories (DUTY_STORIES, docs/demo.md):

- a general enterprise whose only drill this year was a gas-leak drill of its on-site plan: it
  met no evacuation duty, so it still owes the evacuation drill (徐泾镇三年行动方案 第21条);
- a 消防安全重点单位 with one fire drill, in the first half: it owes the second half's
  (公安部61号令 第四十条);
- a hotel (行业 旅馆业, 每半年演练): a plan drill each half year (《生产安全事故应急条例》第八条).

A few records name their participants (PARTICIPANT_LISTS: the manager's drill, imported from
its sign-in sheet, then the first records in credit-code order whose enterprise has people).

Deterministic (one seeded generator, enterprises in credit-code order) and idempotent (a second
run finds the demo records and lists and writes nothing).
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from directory.constants import EnterpriseStatus
from directory.demo import covered_chance, unit_shares
from directory.models import Enterprise, User
from training.drills import rules
from training.drills.models.corrective_actions import CorrectiveAction
from training.drills.models.observations import DrillObservation
from training.drills.models.participants import DrillParticipant, ParticipantSource
from training.drills.models.profile import DrillProfile
from training.drills.models.records import DrillPlan, DrillRecord, DrillScenario, PlanType

SHARE_PLANNED = 0.6
# Each village and lead department has its own share of enterprises that drilled this year
# (directory.demo.unit_shares, 30–90 %): an enterprise drilled by the average of its two.
SHARE_ON_SITE_PLAN = 0.1
# Most drills are fire evacuations of the comprehensive plan; the rest are special or on-site
# plans of a leak or an earthquake, which evacuate now and then.
SCENARIO_WEIGHTS = {
    DrillScenario.FIRE_EVACUATION: 6,
    DrillScenario.EARTHQUAKE: 1,
    DrillScenario.GAS_LEAK: 1,
    DrillScenario.HAZARDOUS_CHEMICAL_LEAK: 1,
    DrillScenario.CONFINED_SPACE_RESCUE: 1,
}
SHARE_EVACUATING = 0.5
# The demo town's hotels (directory.demo: marked 每半年演练, 708号令 第八条).
HOTEL_INDUSTRY = "旅馆业"
# Records given a list of participants besides the manager's, and people listed on each at most.
PARTICIPANT_LISTS = 4
LISTED_AT_MOST = 12
PARTICIPANT_ROLES = ("现场总指挥", "疏散引导员", "通讯联络员", "医疗救护员")


def _record(
    enterprise,
    day: datetime.date,
    rng: random.Random,
    *,
    scenario: str | None = None,
    plan_type: str | None = None,
    evacuates: bool | None = None,
) -> DrillRecord:
    headcount = max(enterprise.headcount or 0, 5)
    minutes = rng.randint(2, 8)
    if scenario is None:
        scenario = rng.choices(list(SCENARIO_WEIGHTS), weights=list(SCENARIO_WEIGHTS.values()))[0]
    if plan_type is None:
        plan_type = rng.choice([PlanType.COMPREHENSIVE, PlanType.SPECIAL])
    if evacuates is None:
        evacuates = rng.random() < SHARE_EVACUATING
    record = DrillRecord(
        enterprise=enterprise,
        date=day,
        scenario=scenario,
        plan_type=plan_type,
        alarm_time=datetime.time(14, 0),
        all_clear_time=datetime.time(14, minutes, rng.randint(0, 59)),
        headcount=headcount,
        evacuated=headcount - rng.randint(0, min(3, headcount - 1)),
        problems_found=rng.choice(["", "疏散通道有杂物堆放", "部分员工不熟悉集合点"]),
        evaluation="疏散总体有序",
        # Claimed where the scenario may include an evacuation; settled below.
        meets_evacuation=evacuates,
    )
    # bulk_create skips save(): set the duties its kind implies, drop the impossible ones.
    record.settle_duties()
    return record


def _is_general(enterprise) -> bool:
    """No rule makes any of its drills half-yearly (rules.drill_duties)."""
    enterprise.keeps_on_site_plan = False
    return all(rule.per_year == rules.YEARLY for rule in rules.drill_duties(enterprise).values())


def _story_enterprises(enterprises: list, skip: set[int]) -> dict[str, Enterprise]:
    """The first enterprise (in credit-code order) fitting each story."""
    fits = {
        "general": _is_general,
        "fire_key_unit": lambda e: (
            e.is_fire_key_unit
            and rules.drill_duties(e)[rules.DrillDuty.PLAN].per_year == rules.YEARLY
        ),
        "hotel": lambda e: e.industry.name == HOTEL_INDUSTRY,
    }
    chosen = {}
    for name, fit in fits.items():
        for enterprise in enterprises:
            if enterprise.pk not in skip and fit(enterprise):
                chosen[name] = enterprise
                skip.add(enterprise.pk)
                break
    return chosen


def _story_records(stories: dict, today: datetime.date, rng: random.Random) -> list[DrillRecord]:
    year = today.year

    def on(month: int, day: int) -> datetime.date:
        return min(today, datetime.date(year, month, day))

    records = []
    if "general" in stories:
        # Its only drill this year: a gas leak of the on-site plan, nobody evacuated.
        records.append(
            _record(
                stories["general"],
                on(4, 16),
                rng,
                scenario=DrillScenario.GAS_LEAK,
                plan_type=PlanType.ON_SITE,
                evacuates=False,
            )
        )
    if "fire_key_unit" in stories:
        records.append(
            _record(
                stories["fire_key_unit"],
                on(3, 12),
                rng,
                scenario=DrillScenario.FIRE_EVACUATION,
                plan_type=PlanType.COMPREHENSIVE,
            )
        )
    if "hotel" in stories:
        hotel = stories["hotel"]
        records.append(
            _record(
                hotel,
                on(5, 20),
                rng,
                scenario=DrillScenario.FIRE_EVACUATION,
                plan_type=PlanType.COMPREHENSIVE,
            )
        )
        if today >= datetime.date(year, 7, 10):
            records.append(
                _record(
                    hotel,
                    datetime.date(year, 7, 10),
                    rng,
                    scenario=DrillScenario.GAS_LEAK,
                    plan_type=PlanType.SPECIAL,
                    evacuates=True,
                )
            )
    return records


@transaction.atomic
def drills_seed(*, stdout=None) -> int:
    """Write the demo drills unless present; returns how many records were written."""
    if DrillRecord.objects.exists():
        participants_seed()
        return 0
    rng = random.Random(2028)
    today = timezone.localdate()
    year = today.year
    enterprises = list(
        Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE)
        .select_related("industry", "village", "lead_department")
        .order_by("credit_code")
    )
    manager = User.objects.filter(username="manager").first()
    skip = {manager.enterprise_id} if manager and manager.enterprise_id else set()
    stories = _story_enterprises(enterprises, skip)
    story_ids = {e.pk for e in stories.values()}
    villages = unit_shares("drills:village", [e.village.name for e in enterprises])
    departments = unit_shares(
        "drills:department", [e.lead_department.name for e in enterprises if e.lead_department]
    )
    plans, records, profiles = [], [], []
    for enterprise in enterprises:
        if enterprise.pk in story_ids:
            continue
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
        department = enterprise.lead_department.name if enterprise.lead_department else None
        drilled = covered_chance(villages[enterprise.village.name], departments.get(department))
        if rng.random() < drilled:
            # Days gone by, spread over the months of the year so far.
            day = min(today, datetime.date(year, rng.randint(1, today.month), rng.randint(1, 28)))
            records.append(_record(enterprise, day, rng))
    DrillProfile.objects.bulk_create(profiles)
    DrillPlan.objects.bulk_create(plans)
    records.extend(_story_records(stories, today, rng))
    DrillRecord.objects.bulk_create(records)
    _manager_follow_up(today, rng)
    listed = participants_seed()
    if stdout is not None:
        stdout.write(f"Drills: {len(plans)} plans, {len(records) + 1} records.\n")
        stdout.write(f"  drill participants listed: {listed}\n")
        for name, enterprise in stories.items():
            stdout.write(f"  drill duties story ({name}): {enterprise.name}\n")
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


def participants_seed() -> int:
    """Lists of participants on a few records, unless some record has one; returns how many
    people were listed. The manager's drill came from its sign-in sheet (with sign-in times),
    the others were entered; the first people listed carry a role."""
    if DrillParticipant.objects.exists():
        return 0
    manager = User.objects.filter(username="manager").first()
    records = list(
        DrillRecord.objects.filter(enterprise__people__isnull=False)
        .exclude(enterprise_id=getattr(manager, "enterprise_id", None))
        .distinct()
        .select_related("enterprise")
        .order_by("enterprise__credit_code", "date", "pk")[:PARTICIPANT_LISTS]
    )
    if manager is not None:
        own = (
            DrillRecord.objects.filter(enterprise_id=manager.enterprise_id, recorded_by=manager)
            .order_by("date", "pk")
            .first()
        )
        if own is not None:
            records.insert(0, own)
    rows = []
    for number, record in enumerate(records):
        sheet = number == 0 and record.recorded_by_id is not None
        people = record.enterprise.people.order_by("id_number")[
            : min(record.headcount, LISTED_AT_MOST)
        ]
        for index, person in enumerate(people):
            rows.append(
                DrillParticipant(
                    record=record,
                    person=person,
                    remark=PARTICIPANT_ROLES[index] if index < len(PARTICIPANT_ROLES) else "",
                    source=ParticipantSource.SIGN_IN_SHEET if sheet else ParticipantSource.ENTERED,
                    signed_in_at=datetime.time(13, 50 + index % 10) if sheet else None,
                    added_by=record.recorded_by,
                )
            )
    DrillParticipant.objects.bulk_create(rows)
    return len(rows)

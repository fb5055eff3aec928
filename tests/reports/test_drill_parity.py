"""One definition of drill coverage: the dashboard's count (the metric's items), its drill-down
(metric.uncovered), the export of that drill-down and the drill module's obligation figure agree,
for every scope and as-of month, on random towns.

The rule they all apply (regulations.md §4, training.drills.rules): every enterprise drills at least
once a year (徐泾镇三年行动方案 第21条); fire-safety key units, crowded places, units handling
hazardous chemicals, high-risk or construction industries and industries the town office ticked
as half-yearly each half year (公安部61号令 第四十条,
《生产安全事故应急条例》第八条); an enterprise keeping an on-site disposal plan drills that plan
each half year (《生产安全事故应急预案管理办法》第三十三条). A record asking for more information
does not count.
"""

import datetime
import random

import pytest

from directory.constants import AccountRole, RiskClass
from reports.metrics import Scope, metric_get
from reports.metrics.drills import month_end
from reports.selectors.uncovered import uncovered_for, uncovered_rows
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    IndustryFactory,
    UserFactory,
    VillageFactory,
)
from tests.factories.drills import DrillProfileFactory, DrillRecordFactory
from training.drills.models.records import DrillScenario, PlanType, ReviewStatus
from training.drills.selectors.obligations import DONE, drill_obligation_status

YEAR = 2026
MONTHS = (3, 6, 7, 9, 12)
FLAGS = ("is_fire_key_unit", "handles_hazardous_chemicals", "is_crowded_place")


def random_town(rng: random.Random):
    """Enterprises of varied industries, flags and profiles, with drill records of every plan type
    and scenario, dated across both halves (and the years around), in every review status."""
    departments = [DepartmentFactory(name=f"部门{rng.random()}") for _ in range(2)]
    villages = [VillageFactory(name=f"村居{rng.random()}") for _ in range(3)]
    industries = [
        IndustryFactory(name=f"行业{rng.random()}", risk_class=risk)
        for risk in (RiskClass.GENERAL, RiskClass.HIGH_RISK, RiskClass.CONSTRUCTION)
    ] + [
        IndustryFactory(
            name=f"行业{rng.random()}", risk_class=RiskClass.GENERAL, drills_half_yearly=ticked
        )
        for ticked in (False, True)
    ]
    for _ in range(rng.randint(15, 30)):
        enterprise = EnterpriseFactory(
            village=rng.choice(villages),
            lead_department=rng.choice(departments),
            industry=rng.choice(industries),
            status=rng.choice(["active"] * 5 + ["closed"]),
            **{flag: rng.random() < 0.2 for flag in FLAGS},
        )
        if rng.random() < 0.4:
            DrillProfileFactory(enterprise=enterprise, keeps_on_site_plan=rng.random() < 0.7)
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            year = rng.choice([YEAR - 1] + [YEAR] * 6 + [YEAR + 1])
            day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
            DrillRecordFactory(
                enterprise=enterprise,
                date=day,
                plan_type=rng.choice(PlanType.values),
                scenario=rng.choice(DrillScenario.values),
                review_status=rng.choice(ReviewStatus.values),
            )
    return departments, villages


def scopes(departments, villages):
    return (
        [Scope()]
        + [Scope(department_id=d.pk) for d in departments]
        + [Scope(village_id=v.pk) for v in villages]
    )


@pytest.mark.parametrize("seed", [1, 2, 3, 17])
def test_dashboard_drilldown_export_and_drill_module_agree(db, seed):
    """For each scope and month: covered + uncovered = active; the drill-down and its export list
    exactly the enterprises the drill module does not show as done, as of that month's end."""
    departments, villages = random_town(random.Random(seed))
    metric = metric_get("drill_coverage")
    officer = UserFactory(username=f"town-{seed}", role=AccountRole.TOWN_OFFICE)
    for scope in scopes(departments, villages):
        items = metric.items(scope=scope, year=YEAR)
        active = sum(item.count for item in items)
        assert active == scope.enterprises().count()
        for month in MONTHS:
            covered = sum(
                item.count
                for item in items
                if item.covered_month is not None and item.covered_month <= month
            )
            drill_down = uncovered_for(officer, metric, scope=scope, year=YEAR, month=month)
            export = list(uncovered_rows(officer, metric, drill_down))
            module = drill_obligation_status(
                enterprises=scope.enterprises(), year=YEAR, today=month_end(YEAR, month)
            )
            not_done = {row.enterprise_id for row in module if row.status != DONE}
            assert len(module) == active
            assert set(drill_down.values_list("pk", flat=True)) == not_done, (scope, month)
            assert active - covered == len(not_done) == len(export), (scope, month)

"""One definition per drill figure: for the three drill metrics — 开展演练企业占比 (drills_held),
年度疏散演练覆盖率 (drill_coverage), 演练义务完成率 (drill_duties_met) — the dashboard's count
(the metric's items, as the dashboard derives a month's measure), its drill-down
(metric.uncovered), the rows of the drill-down's XLSX export and the drill module's own figures
(the obligation list and the coverage screen) agree, for every scope and as-of month, on random
towns.

The duties they apply (regulations.md §4, training.drills.rules): every enterprise an evacuation
drill a year (徐泾镇三年行动方案 第21条) and a comprehensive-or-special plan drill a year, each half
year for units handling hazardous chemicals, crowded places, high-risk or construction industries
and industries the town office ticked (《生产安全事故应急预案管理办法》第三十三条,
《生产安全事故应急条例》第八条); an enterprise keeping an on-site disposal plan drills that plan
each half year (第三十三条); a fire drill a year, each half year for fire-safety key units
(公安部61号令 第四十条). A record meets only the duties its kind allows; a record asking for more
information does not count, nor one dated after the day judged.
"""

import datetime
import io
import random

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole, RiskClass
from directory.models import ExportLogEntry
from reports.metrics import Scope, metric_get
from reports.metrics.drills import month_end
from reports.selectors.coverage import measure_of
from reports.selectors.uncovered import uncovered_for, uncovered_rows
from reports.views.dashboard import scope_params
from tests.export_helpers import export_get
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    IndustryFactory,
    UserFactory,
    VillageFactory,
)
from tests.factories.drills import DrillProfileFactory, DrillRecordFactory
from training.drills.models.records import DrillScenario, PlanType, ReviewStatus
from training.drills.selectors.coverage import FIGURES, drill_coverage, figure_met
from training.drills.selectors.obligations import drill_obligation_status

YEAR = 2026
MONTHS = (3, 6, 7, 9, 12)
CODES = ("drills_held", "drill_coverage", "drill_duties_met")
# Months whose drill-down is also exported through the page's XLSX button.
EXPORTED_MONTHS = (6, 12)
FLAGS = ("is_fire_key_unit", "handles_hazardous_chemicals", "is_crowded_place")


def random_town(rng: random.Random):
    """Enterprises of varied industries, flags and profiles, with drill records of every plan type
    and scenario, dated across both halves (and the years around), in every review status."""
    departments = [DepartmentFactory(name=f"部门{rng.random()}") for _ in range(2)]
    # Fire evacuation, earthquake, gas-leak with and without evacuation, rescue: each meets
    # a different set of duties; the evacuation claim sticks only where the kind allows it.
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
                meets_evacuation=rng.random() < 0.4,
            )
    return departments, villages, industries


def scopes(departments, villages, industries):
    return (
        [Scope()]
        + [Scope(department_id=d.pk) for d in departments]
        + [Scope(village_id=v.pk) for v in villages]
        + [Scope(industry_id=i.pk) for i in industries]
    )


def exported_rows(client, code: str, scope: Scope, month: int) -> int:
    url = reverse("coverage:uncovered", args=[code]) + "?" + scope_params(scope, YEAR, month)
    response = export_get(client, url + "&format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if any(row))
    assert ExportLogEntry.objects.latest("pk").rows == rows
    return rows


@pytest.fixture(autouse=True)
def _after_the_year(time_machine):
    time_machine.move_to(timezone.make_aware(datetime.datetime(YEAR + 1, 1, 15, 12)))


def test_the_three_figures_are_the_drill_modules_own():
    assert set(FIGURES) == set(CODES)


@pytest.mark.parametrize("seed", [17])
def test_dashboard_drilldown_export_and_drill_module_agree(db, client, seed):
    """For each figure, scope and month: the dashboard's numerator is the drill module's count
    and its denominator the active enterprises; the drill-down and its export list exactly the
    enterprises the drill module does not count, as of that month's end."""
    departments, villages, industries = random_town(random.Random(seed))
    officer = UserFactory(username=f"town-{seed}", role=AccountRole.TOWN_OFFICE)
    client.force_login(officer)
    for scope in scopes(departments, villages, industries):
        active = scope.enterprises().count()
        for month in MONTHS:
            today = month_end(YEAR, month)
            module = drill_obligation_status(
                enterprises=scope.enterprises(), year=YEAR, today=today
            )
            screen = drill_coverage(enterprises=scope.enterprises(), year=YEAR, today=today)
            assert len(module) == screen.town.active == active
            for code in CODES:
                metric = metric_get(code)
                measure = measure_of(metric, metric.items(scope=scope, year=YEAR), month)
                counted = {row.enterprise_id for row in module if figure_met(code, row)}
                drill_down = uncovered_for(officer, metric, scope=scope, year=YEAR, month=month)
                where = (seed, code, scope, month)
                assert measure.denominator == active, where
                assert measure.numerator == len(counted) == screen.town.met[code], where
                assert (
                    set(drill_down.values_list("pk", flat=True))
                    == {row.enterprise_id for row in module} - counted
                ), where
                assert len(list(uncovered_rows(officer, metric, drill_down))) == active - len(
                    counted
                ), where
                if month in EXPORTED_MONTHS:
                    assert exported_rows(client, code, scope, month) == active - len(counted)
            if scope.is_town and month == 12:
                # Every duty met ⊆ evacuation duty met ⊆ held a drill, and the town tells them apart.
                held, evacuated, all_met = (screen.town.met[code] for code in CODES)
                assert held >= evacuated >= all_met and held > all_met, seed


def test_a_department_row_of_the_coverage_screen_is_the_departments_figure(db):
    departments, villages, industries = random_town(random.Random(5))
    town = drill_coverage(
        enterprises=Scope().enterprises(), year=YEAR, today=datetime.date(YEAR, 12, 31)
    )
    for dimension, units in (("department", departments), ("village", villages)):
        rows = {row.key: row for row in town.by[dimension]}
        for unit in units:
            scope = Scope(**{f"{dimension}_id": unit.pk})
            for code in CODES:
                metric = metric_get(code)
                measure = measure_of(metric, metric.items(scope=scope, year=YEAR), 12)
                row = rows.get(unit.pk)
                assert (row.met[code] if row else 0) == measure.numerator, (dimension, code)

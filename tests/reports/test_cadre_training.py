"""领导干部必修课程完成率 (`cadre_training`): cadres in post whose study hours of the year reached
the compulsory course's hours, covered from the month they did; the department's, the village's
and the town's own cadres; the drill-down says what each lacks; the town office's hours decide;
the back-office list agrees; the reminder spells out the hours."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from directory.constants import AccountRole, PersonStatus
from directory.models import Notification
from reports.metrics import Scope, metric_get
from reports.selectors.coverage import measure_of
from reports.services.reminders import coverage_remind
from tests.factories import PersonFactory
from tests.factories.directory import UserFactory
from tests.factories.learning import StudyHourEntryFactory
from training.learning.models.requirements import RequirementKind, TrainingRequirement

YEAR = 2026
TOWN = AccountRole.TOWN_OFFICE


def cadre(name, **fields):
    return PersonFactory(name=name, employer=None, is_cadre=True, is_general_worker=False, **fields)


def hours(person, amount, month, year=YEAR):
    StudyHourEntryFactory(person=person, hours=Decimal(amount), date=datetime.date(year, month, 5))


@pytest.fixture
def cadres(town):
    """镇长 has no hours; 周主任 (经发办) reaches 8 in March; 吴书记 (徐泾村) has 5; last year's
    hours and a cadre who left count for nothing."""
    leader = cadre("镇长")
    zhou = cadre("周主任", department=town["dept_a"])
    wu = cadre("吴书记", village=town["village_a"])
    gone = cadre("离任者", department=town["dept_a"], status=PersonStatus.LEFT)
    hours(zhou, 4, 1)
    hours(zhou, 4, 3)
    hours(wu, 5, 6)
    hours(leader, 8, 12, year=YEAR - 1)
    hours(gone, 8, 2)
    return {"leader": leader, "zhou": zhou, "wu": wu}


def figure(scope=None, month=12):
    scope = scope or Scope()
    metric = metric_get("cadre_training")
    measure = measure_of(metric, metric.items(scope=scope, year=YEAR), month)
    return measure.numerator, measure.denominator


def test_the_seeded_requirement_is_eight_hours_a_year(db):
    rule = TrainingRequirement.objects.get(kind=RequirementKind.COMPULSORY, person_role="cadre")
    assert rule.hours == Decimal("8")


def test_covered_from_the_month_the_hours_were_reached(cadres):
    assert figure(month=2) == (0, 3)
    assert figure(month=3) == (1, 3)
    assert figure(month=12) == (1, 3)


def test_each_unit_counts_its_own_cadres(town, cadres):
    assert figure(Scope(department_id=town["dept_a"].pk)) == (1, 1)
    assert figure(Scope(village_id=town["village_a"].pk)) == (0, 1)
    assert figure(Scope(department_id=town["dept_b"].pk)) == (0, 0)
    assert figure(Scope(industry_id=town["industry"].pk)) == (0, 0)
    assert figure(Scope(enterprise_id=town["ent_a"].pk)) == (0, 0)


def test_the_town_offices_hours_decide(cadres):
    TrainingRequirement.objects.filter(kind=RequirementKind.COMPULSORY).update(hours=5)
    assert figure() == (2, 3)
    TrainingRequirement.objects.filter(kind=RequirementKind.COMPULSORY).update(hours=None)
    assert figure() == (0, 0)


def test_the_drill_down_says_what_each_cadre_lacks(client, accounts, cadres):
    client.force_login(accounts[TOWN])
    url = reverse("coverage:uncovered", args=["cadre_training"])
    body = client.get(f"{url}?year={YEAR}&month=12").content.decode()
    assert "欠缺情况" in body
    assert "镇长" in body and "镇领导" in body
    assert "本年度尚无必修课程学时（要求 8 学时）" in body
    assert "吴书记" in body and "徐泾村" in body
    assert "还差 3 学时（已修 5 学时，要求 8 学时）" in body
    assert "周主任" not in body
    # As of February, 周主任 had 4 of 8.
    body = client.get(f"{url}?year={YEAR}&month=2").content.decode()
    assert "还差 4 学时（已修 4 学时，要求 8 学时）" in body


def test_the_back_office_list_agrees_and_is_scoped(client, accounts, cadres):
    url = reverse("learning_cadre_course") + f"?year={YEAR}"
    client.force_login(accounts[TOWN])
    body = client.get(url).content.decode()
    assert body.count('class="cadre-met"') == 1
    assert body.count('class="cadre-short"') == 2
    assert "要求：每年 8 学时" in body and "还差 3 学时" in body
    client.force_login(accounts[AccountRole.VILLAGE_OFFICER])
    body = client.get(url).content.decode()
    assert "吴书记" in body and "周主任" not in body and "镇长" not in body
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    assert client.get(url).status_code in (302, 403)


def test_the_reminder_spells_out_the_hours_short(accounts, cadres):
    cadres["wu"].account = UserFactory(username="wu", role=AccountRole.LEARNER)
    cadres["wu"].save()
    metric = metric_get("cadre_training")
    _accounts, sent = coverage_remind(
        user=accounts[TOWN], metric=metric, scope=Scope(), year=YEAR, month=12
    )
    assert sent == 1
    message = Notification.objects.get(recipient=cadres["wu"].account)
    assert "必修课程" in message.title
    assert "本年度还差 3 学时（要求 8 学时，已完成 5 学时）" in message.body

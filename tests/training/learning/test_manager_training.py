"""Principals and safety managers of ordinary units are trained within 6 months of taking the post
(regulations.md §3; hours: 《生产经营单位安全培训规定》第九条): a list of those who are not, on
screen and in XLSX, scoped like the other gap lists."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from directory.constants import AccountRole, RiskClass
from tests.export_helpers import export_get
from tests.factories import IndustryFactory, PersonFactory
from training.learning.selectors.manager_training import manager_training_gaps
from training.learning.services.ledger import ledger_history_record

D = datetime.date
TODAY = D(2026, 11, 28)
TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER


def names(accounts, role=TOWN):
    return {g.person.name: g for g in manager_training_gaps(user=accounts[role], today=TODAY)}


def credit(accounts, person, hours, day):
    ledger_history_record(
        user=accounts[TOWN],
        person=person,
        training_name=f"主要负责人安全培训{day}",
        hours=Decimal(hours),
        date=day,
    )


def test_a_manager_seven_months_in_the_post_without_training_is_listed(accounts, town):
    """§3: trained within 6 months of taking office; took the post 7 months ago, no hours."""
    PersonFactory(
        name="新经理",
        employer=town["ent_a"],
        is_principal=True,
        hire_date=D(2019, 1, 1),
        post_since=D(2026, 4, 20),
    )
    gap = names(accounts)["新经理"]
    assert gap.took_post_on == D(2026, 4, 20)
    assert gap.deadline == D(2026, 10, 20)
    assert gap.overdue
    assert gap.required == Decimal("32")
    assert gap.state_label == "未培训"


def test_hours_within_the_six_months_meet_it_and_earlier_ones_do_not(accounts, town):
    """第九条: 32 学时 of initial training; hours before taking the post are not for this post."""
    person = PersonFactory(
        name="安全员", employer=town["ent_a"], is_safety_manager=True, post_since=D(2026, 4, 20)
    )
    credit(accounts, person, "32", D(2026, 3, 1))
    assert "安全员" in names(accounts)
    credit(accounts, person, "32", D(2026, 6, 1))
    assert "安全员" not in names(accounts)


def test_within_the_six_months_shows_as_not_yet_due(accounts, town):
    """§3: within the 6 months the manager is listed but not overdue."""
    PersonFactory(
        name="刚任职", employer=town["ent_a"], is_principal=True, post_since=D(2026, 9, 28)
    )
    gap = names(accounts)["刚任职"]
    assert not gap.overdue and gap.deadline == D(2027, 3, 28)


def test_units_taking_the_assessment_are_not_on_this_list(accounts, town):
    """安全生产法 第二十七条: high-risk, construction and hazardous-chemicals units' managers take
    the management assessment instead (the certificate registry's gap list)."""
    ent_b = town["ent_b"]
    ent_b.industry = IndustryFactory(name="建筑施工", risk_class=RiskClass.CONSTRUCTION)
    ent_b.save()
    PersonFactory(name="工地经理", employer=ent_b, is_principal=True, post_since=D(2026, 1, 1))
    ent_a = town["ent_a"]
    ent_a.handles_hazardous_chemicals = True
    ent_a.save()
    PersonFactory(name="危化经理", employer=ent_a, is_principal=True, post_since=D(2026, 1, 1))
    assert not {"工地经理", "危化经理"} & set(names(accounts))


def test_a_department_sees_only_its_enterprises_and_the_export_follows(client, accounts, town):
    """Scoped like the other gap lists: the department of ent_a does not see ent_b's manager."""
    PersonFactory(
        name="甲经理", employer=town["ent_a"], is_principal=True, post_since=D(2026, 1, 1)
    )
    PersonFactory(
        name="乙经理", employer=town["ent_b"], is_principal=True, post_since=D(2026, 1, 1)
    )
    seen = names(accounts, DEPT)
    assert "甲经理" in seen and "乙经理" not in seen
    client.force_login(accounts[DEPT])
    assert client.get(reverse("manager_training_gaps:index")).status_code == 200
    response = export_get(client, reverse("manager_training_gaps:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "姓名"
    exported = {row[0] for row in rows[1:]}
    assert "甲经理" in exported and "乙经理" not in exported


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.UTC))

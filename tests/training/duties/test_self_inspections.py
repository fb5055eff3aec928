"""The quarterly self-inspection led by the principal: recording it with its hazards, each hazard
closed and accepted like a drill's corrective action, the quarters' states, and scoping."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from directory.constants import AccountRole
from tests.factories import UserFactory
from tests.factories.duties import DutiesHazardFactory, DutiesInspectionFactory, duties_principal
from training.common.actions import ActionStatus
from training.duties.rules import DutyState
from training.duties.selectors import (
    enterprise_quarters,
    enterprises_quarter_rows,
    hazards_open_overdue,
    hazards_visible_to,
    self_inspections_visible_to,
)
from training.duties.services import hazard_accept, hazard_close, self_inspection_record
from training.models import InspectionHazard, SelfInspection

pytestmark = pytest.mark.django_db


def test_record_with_hazards(town, accounts):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    principal = duties_principal(town["ent_a"])
    inspection = self_inspection_record(
        user=manager,
        enterprise=town["ent_a"],
        principal=principal,
        date=datetime.date(2026, 2, 10),
        scope="危化品仓库",
        hazards=[
            {"problem": "灭火器过期", "owner": "王主管", "due_date": datetime.date(2026, 2, 20)},
            {"problem": "通道堵塞", "owner": "李班长", "due_date": datetime.date(2026, 2, 12)},
        ],
    )
    assert [h.problem for h in inspection.hazards.all()] == ["通道堵塞", "灭火器过期"]
    assert all(h.status == ActionStatus.OPEN for h in inspection.hazards.all())


def test_a_bad_hazard_writes_nothing_and_names_its_row(town, accounts):
    with pytest.raises(ValidationError) as error:
        self_inspection_record(
            user=accounts[AccountRole.ENTERPRISE_MANAGER],
            enterprise=town["ent_a"],
            principal=duties_principal(town["ent_a"]),
            date=datetime.date(2026, 2, 10),
            scope="配电房",
            hazards=[
                {"problem": "电线老化", "owner": "王", "due_date": datetime.date(2026, 3, 1)},
                {"problem": "漏油", "owner": "", "due_date": datetime.date(2026, 2, 1)},
            ],
        )
    assert "2" in str(error.value)
    assert not SelfInspection.objects.exists()
    assert not InspectionHazard.objects.exists()


def test_the_inspection_is_led_by_a_principal_of_the_enterprise(town, accounts):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    for leader in (town["person_a"], duties_principal(town["ent_b"])):
        with pytest.raises(ValidationError):
            self_inspection_record(
                user=manager,
                enterprise=town["ent_a"],
                principal=leader,
                date=datetime.date(2026, 2, 10),
                scope="全厂",
                hazards=[],
            )


def test_only_the_manager_records(town, accounts):
    for role in (AccountRole.DEPARTMENT_OFFICER, AccountRole.VILLAGE_OFFICER):
        with pytest.raises(PermissionDenied):
            self_inspection_record(
                user=accounts[role],
                enterprise=town["ent_a"],
                principal=duties_principal(town["ent_a"]),
                date=datetime.date(2026, 2, 10),
                scope="全厂",
                hazards=[],
            )


def test_hazard_closed_then_reopened_then_accepted(town, accounts):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    dept = accounts[AccountRole.DEPARTMENT_OFFICER]
    hazard = DutiesHazardFactory(inspection=DutiesInspectionFactory(enterprise=town["ent_a"]))
    with pytest.raises(ValidationError):
        hazard_accept(user=dept, hazard=hazard, accept=True)  # still open
    with pytest.raises(ValidationError):
        hazard_close(user=manager, hazard=hazard, note=" ")
    hazard_close(user=manager, hazard=hazard, note="已更换灭火器")
    assert hazard.status == ActionStatus.DONE
    with pytest.raises(PermissionDenied):
        hazard_accept(user=manager, hazard=hazard, accept=True)
    hazard_accept(user=dept, hazard=hazard, accept=False, note="缺照片")
    assert hazard.status == ActionStatus.OPEN and hazard.closed_at is None
    hazard_close(user=manager, hazard=hazard, note="已更换，附照片")
    hazard_accept(user=dept, hazard=hazard, accept=True)
    hazard.refresh_from_db()
    assert hazard.status == ActionStatus.ACCEPTED and hazard.accepted_by == dept


def test_another_department_cannot_accept(town, accounts):
    hazard = DutiesHazardFactory(
        inspection=DutiesInspectionFactory(enterprise=town["ent_a"]),
        status=ActionStatus.DONE,
        closing_note="done",
    )
    other = UserFactory(role=AccountRole.DEPARTMENT_OFFICER, department=town["dept_b"])
    with pytest.raises(PermissionDenied):
        hazard_accept(user=other, hazard=hazard, accept=True)


def test_overdue_hazards(town, accounts):
    hazard = DutiesHazardFactory(inspection=DutiesInspectionFactory(enterprise=town["ent_a"]))
    dept = accounts[AccountRole.DEPARTMENT_OFFICER]
    assert list(hazards_open_overdue(dept, datetime.date(2026, 2, 28))) == []
    assert list(hazards_open_overdue(dept, datetime.date(2026, 3, 1))) == [hazard]
    assert hazard.is_overdue_on(datetime.date(2026, 3, 1))


def test_quarters_of_an_enterprise(town):
    DutiesInspectionFactory(enterprise=town["ent_a"], date=datetime.date(2026, 2, 10))
    DutiesInspectionFactory(enterprise=town["ent_a"], date=datetime.date(2026, 7, 1))
    quarters = enterprise_quarters(town["ent_a"], year=2026, today=datetime.date(2026, 8, 15))
    assert [q.state for q in quarters] == [
        DutyState.DONE,
        DutyState.OVERDUE,
        DutyState.DONE,
        DutyState.NOT_YET,
    ]
    assert [len(q.inspections) for q in quarters] == [1, 0, 1, 0]


def test_quarter_rows_for_officers(town, accounts):
    DutiesInspectionFactory(enterprise=town["ent_a"], date=datetime.date(2026, 4, 3))
    rows = enterprises_quarter_rows(
        accounts[AccountRole.TOWN_OFFICE], year=2026, quarter=2, today=datetime.date(2026, 5, 1)
    )
    states = {row.enterprise: row.state for row in rows}
    assert states == {town["ent_a"]: DutyState.DONE, town["ent_b"]: DutyState.DUE}
    rows = enterprises_quarter_rows(
        accounts[AccountRole.DEPARTMENT_OFFICER],
        year=2026,
        quarter=2,
        today=datetime.date(2026, 7, 1),
    )
    assert [(row.enterprise, row.state) for row in rows] == [(town["ent_a"], DutyState.DONE)]
    rows = enterprises_quarter_rows(
        accounts[AccountRole.ENTERPRISE_MANAGER],
        year=2026,
        quarter=1,
        today=datetime.date(2026, 7, 1),
    )
    assert [(row.enterprise, row.state) for row in rows] == [(town["ent_a"], DutyState.OVERDUE)]


def test_scoping(town, accounts):
    own = DutiesHazardFactory(inspection=DutiesInspectionFactory(enterprise=town["ent_a"]))
    other = DutiesHazardFactory(inspection=DutiesInspectionFactory(enterprise=town["ent_b"]))
    expected = {
        AccountRole.TOWN_OFFICE: {own, other},
        AccountRole.DEPARTMENT_OFFICER: {own},
        AccountRole.VILLAGE_OFFICER: {own},
        AccountRole.ENTERPRISE_MANAGER: {own},
        AccountRole.LEARNER: set(),
    }
    for role, seen in expected.items():
        assert set(hazards_visible_to(accounts[role])) == seen, role
        assert set(self_inspections_visible_to(accounts[role])) == {h.inspection for h in seen}, (
            role
        )

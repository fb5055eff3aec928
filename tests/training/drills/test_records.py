"""Drill records: validation a user sees, the computed figures, who may record and who may review."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from directory.constants import AccountRole
from tests.factories.drills import DrillRecordFactory
from training.drills.services.records import (
    drill_plan_create,
    drill_record_create,
    drill_record_review,
    drill_record_update,
)
from training.models import DrillRecord, ReviewStatus

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER


def fields(**overrides):
    values = {
        "date": datetime.date(2026, 4, 1),
        "scenario": "fire_evacuation",
        "plan_type": "comprehensive",
        "alarm_time": datetime.time(14, 0),
        "all_clear_time": datetime.time(14, 4, 30),
        "headcount": 40,
        "evacuated": 38,
    }
    values.update(overrides)
    return values


def test_manager_records_a_drill_for_own_enterprise(accounts, town):
    manager = accounts[MANAGER]
    record = drill_record_create(user=manager, enterprise=town["ent_a"], **fields())
    assert record.recorded_by == manager
    assert record.review_status == ReviewStatus.SUBMITTED
    assert record.evacuation_duration == datetime.timedelta(minutes=4, seconds=30)
    assert record.participation_rate == pytest.approx(0.95)


def test_manager_cannot_record_for_another_enterprise(accounts, town):
    with pytest.raises(PermissionDenied):
        drill_record_create(user=accounts[MANAGER], enterprise=town["ent_b"], **fields())
    assert not DrillRecord.objects.exists()


def test_village_officer_cannot_record(accounts, town):
    with pytest.raises(PermissionDenied):
        drill_record_create(user=accounts[VILLAGE], enterprise=town["ent_a"], **fields())


def test_all_clear_before_alarm_is_refused_with_a_message(accounts, town):
    with pytest.raises(ValidationError) as error:
        drill_record_create(
            user=accounts[MANAGER],
            enterprise=town["ent_a"],
            **fields(all_clear_time=datetime.time(13, 59)),
        )
    assert error.value.message_dict["all_clear_time"] == ["解除时间必须晚于报警时间。"]
    assert not DrillRecord.objects.exists()


def test_more_evacuated_than_on_site_is_refused(accounts, town):
    with pytest.raises(ValidationError) as error:
        drill_record_create(
            user=accounts[MANAGER], enterprise=town["ent_a"], **fields(evacuated=41)
        )
    assert "evacuated" in error.value.message_dict


@pytest.mark.parametrize(
    "overrides",
    [{"all_clear_time": datetime.time(13, 0)}, {"evacuated": 41}],
    ids=["all-clear-before-alarm", "evacuated-over-headcount"],
)
def test_database_refuses_what_validation_refuses(town, overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        DrillRecordFactory(enterprise=town["ent_a"], **overrides)


def test_plan_date_must_fall_in_its_year(accounts, town):
    with pytest.raises(ValidationError) as error:
        drill_plan_create(
            user=accounts[MANAGER],
            enterprise=town["ent_a"],
            year=2027,
            planned_date=datetime.date(2026, 5, 1),
            scenario="earthquake",
            plan_type="special",
        )
    assert "planned_date" in error.value.message_dict


def test_manager_cannot_plan_for_another_enterprise(accounts, town):
    with pytest.raises(PermissionDenied):
        drill_plan_create(
            user=accounts[MANAGER],
            enterprise=town["ent_b"],
            year=2026,
            planned_date=datetime.date(2026, 5, 1),
            scenario="earthquake",
            plan_type="special",
        )


# --- review ------------------------------------------------------------------------------------


@pytest.fixture
def records(accounts, town):
    town_office = accounts[TOWN]
    return {
        key: drill_record_create(user=town_office, enterprise=town[key], **fields())
        for key in ("ent_a", "ent_b")
    }


@pytest.mark.parametrize("role", [TOWN, DEPT, VILLAGE])
def test_officer_reviews_within_scope(accounts, records, role):
    reviewed = drill_record_review(
        user=accounts[role], record=records["ent_a"], decision=ReviewStatus.ACCEPTED
    )
    reviewed.refresh_from_db()
    assert reviewed.review_status == ReviewStatus.ACCEPTED
    assert reviewed.reviewed_by == accounts[role]
    assert reviewed.reviewed_at is not None


@pytest.mark.parametrize("role", [DEPT, VILLAGE])
def test_officer_cannot_review_outside_scope(accounts, records, role):
    with pytest.raises(PermissionDenied):
        drill_record_review(
            user=accounts[role], record=records["ent_b"], decision=ReviewStatus.ACCEPTED
        )
    records["ent_b"].refresh_from_db()
    assert records["ent_b"].review_status == ReviewStatus.SUBMITTED


def test_manager_cannot_review_own_drill(accounts, records):
    with pytest.raises(PermissionDenied):
        drill_record_review(
            user=accounts[MANAGER], record=records["ent_a"], decision=ReviewStatus.ACCEPTED
        )


def test_asking_for_more_needs_a_note(accounts, records):
    with pytest.raises(ValidationError):
        drill_record_review(
            user=accounts[DEPT], record=records["ent_a"], decision=ReviewStatus.MORE_INFORMATION
        )
    drill_record_review(
        user=accounts[DEPT],
        record=records["ent_a"],
        decision=ReviewStatus.MORE_INFORMATION,
        note="请补充现场照片",
    )
    records["ent_a"].refresh_from_db()
    assert records["ent_a"].review_note == "请补充现场照片"


def test_changed_record_goes_back_to_review(accounts, records):
    record = drill_record_review(
        user=accounts[DEPT], record=records["ent_a"], decision=ReviewStatus.ACCEPTED
    )
    drill_record_update(user=accounts[MANAGER], record=record, evacuated=40)
    record.refresh_from_db()
    assert (record.evacuated, record.review_status) == (40, ReviewStatus.SUBMITTED)

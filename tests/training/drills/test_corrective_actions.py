"""Corrective actions: opened from a drill's problems, closed with a note and evidence by the
enterprise, accepted or reopened by an officer; overdue ones surface first on scoped lists."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from directory.constants import AccountRole
from tests.factories.drills import DrillRecordFactory
from tests.upload_files import photo, video
from training.drills.selectors.follow_up import corrective_actions_overdue
from training.drills.services.follow_up import (
    corrective_action_accept,
    corrective_action_close,
    corrective_action_create,
    corrective_action_update,
)
from training.models import ActionStatus, CorrectiveAction

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER
TODAY = datetime.date(2026, 6, 10)


def create(accounts, record, role=MANAGER, **overrides):
    values = {"problem": "二楼安全出口被杂物堵塞", "owner": "张三", "due_date": TODAY}
    values.update(overrides)
    return corrective_action_create(user=accounts[role], record=record, **values)


@pytest.fixture
def record(accounts, town):
    return DrillRecordFactory(enterprise=town["ent_a"])


@pytest.fixture
def action(accounts, record):
    return create(accounts, record, measure="清理杂物，设置禁止堆放标识")


def test_manager_opens_an_action_for_a_problem(accounts, action):
    assert (action.status, action.owner, action.created_by) == (
        ActionStatus.OPEN,
        "张三",
        accounts[MANAGER],
    )


def test_due_date_before_the_drill_is_refused(accounts, record):
    with pytest.raises(ValidationError) as error:
        create(accounts, record, due_date=record.date - datetime.timedelta(days=1))
    assert error.value.message_dict["due_date"] == ["整改期限不能早于演练日期。"]
    assert not CorrectiveAction.objects.exists()


@pytest.mark.parametrize(("role", "side"), [(MANAGER, "b"), (VILLAGE, "a"), (DEPT, "b")])
def test_only_those_who_may_change_the_record_open_actions(accounts, town, role, side):
    with pytest.raises(PermissionDenied):
        create(accounts, DrillRecordFactory(enterprise=town[f"ent_{side}"]), role=role)


def test_closing_needs_a_note_and_keeps_evidence(accounts, action):
    with pytest.raises(ValidationError) as error:
        corrective_action_close(user=accounts[MANAGER], action=action, note="  ")
    assert error.value.message_dict["closing_note"] == ["请说明已采取的措施。"]
    closed = corrective_action_close(
        user=accounts[MANAGER], action=action, note="已清理", evidence=photo("整改后.jpg")
    )
    assert closed.status == ActionStatus.DONE and closed.closed_at is not None
    assert closed.closing_evidence.name.startswith("actions/")


def test_bad_closing_evidence_refuses_the_closing(accounts, action):
    with pytest.raises(ValidationError):
        corrective_action_close(
            user=accounts[MANAGER], action=action, note="已清理", evidence=video("x.avi")
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_a_closed_action_can_no_longer_be_changed(accounts, action):
    corrective_action_close(user=accounts[MANAGER], action=action, note="已清理")
    with pytest.raises(ValidationError):
        corrective_action_update(user=accounts[MANAGER], action=action, owner="李四")
    with pytest.raises(ValidationError):
        corrective_action_close(user=accounts[MANAGER], action=action, note="again")


@pytest.mark.parametrize("role", [TOWN, DEPT, VILLAGE])
def test_officers_accept_done_actions_in_scope(accounts, action, role):
    with pytest.raises(ValidationError):  # still open
        corrective_action_accept(user=accounts[role], action=action, accept=True)
    corrective_action_close(user=accounts[MANAGER], action=action, note="已清理")
    accepted = corrective_action_accept(user=accounts[role], action=action, accept=True)
    assert (accepted.status, accepted.accepted_by) == (ActionStatus.ACCEPTED, accounts[role])


def test_manager_cannot_accept_and_officers_not_outside_scope(accounts, town):
    actions = {
        side: create(accounts, DrillRecordFactory(enterprise=town[f"ent_{side}"]), role=TOWN)
        for side in "ab"
    }
    for action in actions.values():
        corrective_action_close(user=accounts[TOWN], action=action, note="已清理")
    with pytest.raises(PermissionDenied):
        corrective_action_accept(user=accounts[MANAGER], action=actions["a"], accept=True)
    for role in (DEPT, VILLAGE):
        with pytest.raises(PermissionDenied):
            corrective_action_accept(user=accounts[role], action=actions["b"], accept=True)


def test_reopening_needs_a_note(accounts, action):
    corrective_action_close(user=accounts[MANAGER], action=action, note="已清理")
    with pytest.raises(ValidationError):
        corrective_action_accept(user=accounts[DEPT], action=action, accept=False)
    reopened = corrective_action_accept(
        user=accounts[DEPT], action=action, accept=False, note="标识未设置"
    )
    assert (reopened.status, reopened.acceptance_note) == (ActionStatus.OPEN, "标识未设置")
    assert reopened.closed_at is None


def test_overdue_actions_are_open_ones_past_their_date_within_scope(accounts, town, record):
    late = create(accounts, record, due_date=datetime.date(2026, 5, 1))
    create(accounts, record, due_date=TODAY)
    done = create(accounts, record, due_date=datetime.date(2026, 5, 1))
    corrective_action_close(user=accounts[MANAGER], action=done, note="已完成")
    other = create(
        accounts,
        DrillRecordFactory(enterprise=town["ent_b"]),
        role=TOWN,
        due_date=datetime.date(2026, 5, 1),
    )
    assert list(corrective_actions_overdue(accounts[DEPT], TODAY)) == [late]
    assert set(corrective_actions_overdue(accounts[TOWN], TODAY)) == {late, other}


# --- back office -------------------------------------------------------------------------------


def test_department_list_shows_overdue_actions_first_and_flagged(client, accounts, town, record):
    create(accounts, record, problem="未逾期", due_date=datetime.date(2099, 1, 1))
    create(accounts, record, problem="已逾期", due_date=record.date)
    create(
        accounts,
        DrillRecordFactory(enterprise=town["ent_b"]),
        role=TOWN,
        problem="别的部门",
        due_date=record.date,
    )
    client.force_login(accounts[DEPT])
    response = client.get(reverse("corrective_actions:index"))
    problems = [action.problem for action in response.context["object_list"]]
    assert problems == ["已逾期", "未逾期"]
    assert "逾期" in response.content.decode()
    overdue = client.get(reverse("corrective_actions:index"), {"overdue": "true"})
    assert [a.problem for a in overdue.context["object_list"]] == ["已逾期"]


def test_manager_closes_and_officer_accepts_through_the_screens(client, accounts, action):
    client.force_login(accounts[MANAGER])
    url = reverse("corrective_actions:close", args=[action.pk])
    empty = client.post(url, {"closing_note": ""})
    assert empty.status_code == 200 and "closing_note" in empty.context["form"].errors
    response = client.post(url, {"closing_note": "已清理", "closing_evidence": photo()})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert client.get(url).status_code == 404  # no longer open
    assert client.get(reverse("corrective_actions:accept", args=[action.pk])).status_code != 200
    evidence = client.get(reverse("training:action_evidence_file", args=[action.pk]))
    assert evidence.status_code == 200

    client.force_login(accounts[VILLAGE])
    accept_url = reverse("corrective_actions:accept", args=[action.pk])
    refused = client.post(accept_url, {"decision": "reopen", "acceptance_note": ""})
    assert "acceptance_note" in refused.context["form"].errors
    assert client.post(accept_url, {"decision": "accept"}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.accepted_by) == (ActionStatus.ACCEPTED, accounts[VILLAGE])


def test_closing_evidence_is_not_served_outside_scope(client, accounts, town):
    action = create(accounts, DrillRecordFactory(enterprise=town["ent_b"]), role=TOWN)
    corrective_action_close(user=accounts[TOWN], action=action, note="已清理", evidence=photo())
    client.force_login(accounts[DEPT])
    response = client.get(reverse("training:action_evidence_file", args=[action.pk]))
    assert response.status_code == 404

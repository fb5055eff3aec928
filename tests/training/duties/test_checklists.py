"""The 五带头 checklist: seeded items, filling with evidence, submitting, the lead department's
review, and who sees what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from directory.constants import AccountRole
from tests.factories import UserFactory
from tests.factories.duties import DutiesChecklistFactory, duties_principal
from tests.upload_files import pdf_bytes, photo
from training.duties.rules import DutyState
from training.duties.selectors import (
    checklists_awaiting_review,
    checklists_visible_to,
    duty_items,
    principal_checklist_rows,
)
from training.duties.services import (
    checklist_entry_save,
    checklist_open,
    checklist_review,
    checklist_submit,
)
from training.models import ChecklistStatus, DutyItem

pytestmark = pytest.mark.django_db


def _pdf(name="学习记录.pdf"):
    return SimpleUploadedFile(name, pdf_bytes("study"), content_type="application/pdf")


def _filled(checklist, manager):
    for item in duty_items():
        checklist_entry_save(
            user=manager, checklist=checklist, item=item, note=f"已{item.title}", evidence=_pdf()
        )


def test_the_five_items_are_seeded_unconfirmed():
    items = list(duty_items())
    assert len(items) == 5
    assert all(not item.wording_confirmed for item in items)
    assert all("指导意见" in item.source for item in items)


def test_manager_fills_submits_and_department_accepts(town, accounts):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    dept = accounts[AccountRole.DEPARTMENT_OFFICER]
    principal = duties_principal(town["ent_a"])
    checklist = checklist_open(user=manager, principal=principal, year=2026)
    assert checklist_open(user=manager, principal=principal, year=2026) == checklist
    _filled(checklist, manager)
    entry = checklist.entries.first()
    assert entry.evidence.read().startswith(b"%PDF-")
    assert entry.evidence_type == "application/pdf"
    assert entry.evidence_name == "学习记录.pdf"
    assert "学习记录" not in entry.evidence.name

    checklist_submit(user=manager, checklist=checklist)
    assert list(checklists_awaiting_review(dept)) == [checklist]
    checklist = checklist_review(user=dept, checklist=checklist, accept=True)
    assert checklist.status == ChecklistStatus.ACCEPTED
    assert checklist.reviewed_by == dept
    (row,) = principal_checklist_rows(dept, year=2026, today=datetime.date(2027, 2, 1))
    assert row.state == DutyState.DONE


def test_submit_needs_every_item_with_evidence(town, accounts):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    checklist = DutiesChecklistFactory(enterprise=town["ent_a"])
    first = duty_items().first()
    checklist_entry_save(user=manager, checklist=checklist, item=first, note="已学习")
    with pytest.raises(ValidationError) as error:
        checklist_submit(user=manager, checklist=checklist)
    assert first.title in str(error.value)  # no evidence yet
    assert "带头参加应急演练" in str(error.value)
    checklist.refresh_from_db()
    assert checklist.status == ChecklistStatus.DRAFT


def test_a_bad_evidence_file_is_refused_and_nothing_written(town, accounts):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    checklist = DutiesChecklistFactory(enterprise=town["ent_a"])
    fake = SimpleUploadedFile("x.pdf", b"<html><script>", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        checklist_entry_save(
            user=manager, checklist=checklist, item=duty_items().first(), note="x", evidence=fake
        )
    assert "x.pdf" in str(error.value)
    assert not checklist.entries.exists()


def test_a_photo_is_accepted_as_evidence(town, accounts):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    checklist = DutiesChecklistFactory(enterprise=town["ent_a"])
    entry = checklist_entry_save(
        user=manager, checklist=checklist, item=duty_items().first(), note="讲课", evidence=photo()
    )
    assert entry.evidence_type == "image/jpeg"
    assert entry.evidence.name.endswith(".jpg")


def test_return_needs_a_note_and_reopens_filling(town, accounts):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    dept = accounts[AccountRole.DEPARTMENT_OFFICER]
    checklist = DutiesChecklistFactory(enterprise=town["ent_a"])
    _filled(checklist, manager)
    checklist_submit(user=manager, checklist=checklist)
    with pytest.raises(ValidationError):
        checklist_entry_save(
            user=manager, checklist=checklist, item=duty_items().first(), note="改"
        )
    with pytest.raises(ValidationError):
        checklist_review(user=dept, checklist=checklist, accept=False, note=" ")
    checklist = checklist_review(user=dept, checklist=checklist, accept=False, note="缺讲课照片")
    assert checklist.status == ChecklistStatus.RETURNED
    checklist_entry_save(user=manager, checklist=checklist, item=duty_items().first(), note="补")
    checklist_submit(user=manager, checklist=checklist)
    checklist.refresh_from_db()
    assert checklist.status == ChecklistStatus.SUBMITTED


def test_an_accepted_checklist_cannot_be_reviewed_again(town, accounts):
    dept = accounts[AccountRole.DEPARTMENT_OFFICER]
    checklist = DutiesChecklistFactory(enterprise=town["ent_a"], status=ChecklistStatus.SUBMITTED)
    checklist_review(user=dept, checklist=checklist, accept=True)
    with pytest.raises(ValidationError):
        checklist_review(user=dept, checklist=checklist, accept=False, note="再看")


def test_only_the_lead_department_or_town_reviews(town, accounts):
    checklist = DutiesChecklistFactory(enterprise=town["ent_a"], status=ChecklistStatus.SUBMITTED)
    other_dept = UserFactory(role=AccountRole.DEPARTMENT_OFFICER, department=town["dept_b"])
    for user in (
        other_dept,
        accounts[AccountRole.VILLAGE_OFFICER],
        accounts[AccountRole.ENTERPRISE_MANAGER],
    ):
        with pytest.raises(PermissionDenied):
            checklist_review(user=user, checklist=checklist, accept=True)
    assert not checklists_awaiting_review(other_dept).exists()
    checklist_review(user=accounts[AccountRole.TOWN_OFFICE], checklist=checklist, accept=True)


def test_only_the_enterprise_manager_fills(town, accounts):
    checklist = DutiesChecklistFactory(enterprise=town["ent_b"])
    principal = duties_principal(town["ent_b"])
    for user in (
        accounts[AccountRole.ENTERPRISE_MANAGER],  # manager of ent_a
        accounts[AccountRole.DEPARTMENT_OFFICER],
        accounts[AccountRole.TOWN_OFFICE],
    ):
        with pytest.raises(PermissionDenied):
            checklist_entry_save(
                user=user, checklist=checklist, item=duty_items().first(), note="x"
            )
        with pytest.raises(PermissionDenied):
            checklist_open(user=user, principal=principal, year=2026)


def test_a_non_principal_has_no_checklist(town, accounts):
    with pytest.raises(ValidationError):
        checklist_open(
            user=accounts[AccountRole.ENTERPRISE_MANAGER], principal=town["person_a"], year=2026
        )


def test_scoping(town, accounts):
    own = DutiesChecklistFactory(enterprise=town["ent_a"])
    other = DutiesChecklistFactory(enterprise=town["ent_b"])
    expected = {
        AccountRole.TOWN_OFFICE: {own, other},
        AccountRole.DEPARTMENT_OFFICER: {own},
        AccountRole.VILLAGE_OFFICER: {own},
        AccountRole.ENTERPRISE_MANAGER: {own},
        AccountRole.LEARNER: set(),
        AccountRole.EDITOR: set(),
    }
    for role, seen in expected.items():
        assert set(checklists_visible_to(accounts[role])) == seen, role


def test_rows_list_principals_without_a_checklist_as_due_then_overdue(town, accounts):
    principal = duties_principal(town["ent_a"])
    duties_principal(town["ent_b"])
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    (row,) = principal_checklist_rows(manager, year=2026, today=datetime.date(2026, 5, 1))
    assert (row.principal, row.checklist, row.state) == (principal, None, DutyState.DUE)
    (row,) = principal_checklist_rows(manager, year=2026, today=datetime.date(2027, 1, 1))
    assert row.state == DutyState.OVERDUE
    town_rows = principal_checklist_rows(
        accounts[AccountRole.TOWN_OFFICE], year=2026, today=datetime.date(2026, 5, 1)
    )
    assert len(town_rows) == 2


def test_a_retired_item_is_not_asked_for(town, accounts):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    DutyItem.objects.filter(code="drill").update(active=False)
    checklist = DutiesChecklistFactory(enterprise=town["ent_a"])
    _filled(checklist, manager)
    checklist_submit(user=manager, checklist=checklist)
    assert checklist.entries.count() == 4

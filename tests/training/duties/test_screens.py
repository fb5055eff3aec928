"""The front-office pages of the principals' duties: the unconfirmed-wording notice, filling and
reviewing a checklist through the pages, private evidence, self-inspection entry, scoping."""

import datetime

import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.constants import AccountRole
from tests.factories.duties import (
    DutiesChecklistFactory,
    DutiesHazardFactory,
    DutiesInspectionFactory,
    duties_principal,
)
from tests.upload_files import pdf_bytes
from training.common.actions import ActionStatus
from training.duties.selectors import duty_items
from training.duties.services import checklist_entry_save
from training.models import ChecklistStatus, DutyItem, PrincipalChecklist, SelfInspection

pytestmark = pytest.mark.django_db
MANAGER, DEPT = AccountRole.ENTERPRISE_MANAGER, AccountRole.DEPARTMENT_OFFICER


def test_the_notice_shows_until_the_town_confirms(client, town, accounts):
    duties_principal(town["ent_a"], name="赵总")
    client.force_login(accounts[MANAGER])
    page = client.get(reverse("duties:home")).content.decode()
    assert "赵总" in page
    assert "带头讲授安全课" in page
    assert "尚未确认" in page or "未经镇安委办确认" in page
    DutyItem.objects.update(wording_confirmed=True)
    page = client.get(reverse("duties:home")).content.decode()
    assert "unconfirmed-wording" not in page


def test_fill_submit_and_review_through_the_pages(client, town, accounts):
    principal = duties_principal(town["ent_a"])
    client.force_login(accounts[MANAGER])
    response = client.post(reverse("duties:checklist_start", args=[principal.pk]) + "?year=2026")
    checklist = PrincipalChecklist.objects.get(principal=principal, year=2026)
    assert response.url == reverse("duties:checklist", args=[checklist.pk])
    for item in duty_items():
        pdf = SimpleUploadedFile("证明.pdf", pdf_bytes(item.code), content_type="application/pdf")
        client.post(
            response.url,
            {
                "action": f"item-{item.pk}",
                f"item{item.pk}-note": "已完成",
                f"item{item.pk}-evidence": pdf,
            },
        )
    assert checklist.entries.count() == 5
    client.post(response.url, {"action": "submit"})
    checklist.refresh_from_db()
    assert checklist.status == ChecklistStatus.SUBMITTED

    client.force_login(accounts[DEPT])
    assert "review" in client.get(response.url).content.decode()
    client.post(response.url, {"action": "review", "review-accept": "0", "review-note": ""})
    checklist.refresh_from_db()
    assert checklist.status == ChecklistStatus.SUBMITTED  # a return needs a note
    client.post(response.url, {"action": "review", "review-accept": "1", "review-note": ""})
    checklist.refresh_from_db()
    assert checklist.status == ChecklistStatus.ACCEPTED


def test_evidence_is_private_and_scoped(client, town, accounts):
    checklist = DutiesChecklistFactory(enterprise=town["ent_a"])
    entry = checklist_entry_save(
        user=accounts[MANAGER],
        checklist=checklist,
        item=duty_items().first(),
        note="学习",
        evidence=SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    url = reverse("duties:checklist_evidence", args=[entry.pk])
    # In the private storage, not under the public media root (compared by place: an earlier
    # test's settings change may have rebuilt the storage objects).
    assert storages["private"].exists(entry.evidence.name)
    assert not default_storage.exists(entry.evidence.name)
    client.force_login(accounts[DEPT])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Cache-Control"].startswith("private")
    other = DutiesChecklistFactory(enterprise=town["ent_b"])
    client.force_login(accounts[MANAGER])
    assert client.get(reverse("duties:checklist", args=[other.pk])).status_code == 404
    client.force_login(accounts[AccountRole.LEARNER])
    assert client.get(url).status_code == 404


def test_record_a_self_inspection_with_a_hazard(client, town, accounts):
    principal = duties_principal(town["ent_a"])
    client.force_login(accounts[MANAGER])
    data = {
        "principal": principal.pk,
        "date": "2026-02-10",
        "scope": "危化品仓库",
        "hazards-TOTAL_FORMS": "3",
        "hazards-INITIAL_FORMS": "0",
        "hazards-0-problem": "灭火器过期",
        "hazards-0-owner": "王主管",
        "hazards-0-due_date": "2026-02-20",
    }
    response = client.post(reverse("duties:inspection_new"), data)
    assert response.status_code == 302
    inspection = SelfInspection.objects.get()
    assert inspection.hazards.get().problem == "灭火器过期"
    page = client.get(reverse("duties:home") + "?year=2026").content.decode()
    assert "灭火器过期" in page


def test_officers_see_only_their_enterprises_and_accept_corrections(client, town, accounts):
    DutiesInspectionFactory(enterprise=town["ent_a"], date=datetime.date(2026, 1, 5))
    done = DutiesHazardFactory(
        inspection=DutiesInspectionFactory(enterprise=town["ent_a"]),
        status=ActionStatus.DONE,
        closing_note="已整改",
    )
    client.force_login(accounts[DEPT])
    page = client.get(reverse("duties:home")).content.decode()
    assert town["ent_a"].name in page and town["ent_b"].name not in page
    assert "已整改" in page
    client.post(reverse("duties:hazard_accept", args=[done.pk]), {"accept": "1", "note": ""})
    done.refresh_from_db()
    assert done.status == ActionStatus.ACCEPTED


def test_learners_and_editors_have_no_page(client, accounts):
    for role in (AccountRole.LEARNER, AccountRole.EDITOR):
        client.force_login(accounts[role])
        assert client.get(reverse("duties:home")).status_code == 403
    client.force_login(accounts[MANAGER])
    client.force_login(accounts[DEPT])
    assert client.get(reverse("duties:inspection_new")).status_code == 403

"""The review page: officers accept or ask for more with a comment and note on-site observations;
the enterprise reads the outcome there; nothing outside the scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from directory.constants import AccountRole
from tests.factories.drills import DrillRecordFactory
from training.drills.services.follow_up import drill_observation_add
from training.models import DrillObservation, ReviewStatus

DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER


@pytest.fixture
def record(accounts, town):
    return DrillRecordFactory(enterprise=town["ent_a"])


def url(record):
    return reverse("drill_review", args=[record.pk])


def test_officer_asks_for_more_with_a_comment_and_the_manager_sees_it(client, accounts, record):
    client.force_login(accounts[DEPT])
    page = client.get(url(record))
    assert page.status_code == 200 and 'id="review-form"' in page.content.decode()

    refused = client.post(url(record), {"review-decision": ReviewStatus.MORE_INFORMATION})
    assert refused.status_code == 200
    assert refused.context["review_form"].errors["note"] == ["请说明需要补充哪些材料。"]
    record.refresh_from_db()
    assert record.review_status == ReviewStatus.SUBMITTED

    response = client.post(
        url(record),
        {"review-decision": ReviewStatus.MORE_INFORMATION, "review-note": "请补充疏散照片"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.review_status, record.reviewed_by) == (
        ReviewStatus.MORE_INFORMATION,
        accounts[DEPT],
    )

    client.force_login(accounts[MANAGER])
    page = client.get(url(record)).content.decode()
    assert "请补充疏散照片" in page
    assert 'id="review-form"' not in page
    # Wagtail answers a refused admin request by sending the user back to the dashboard.
    assert client.post(url(record), {"review-decision": "accepted"}).status_code == 302
    record.refresh_from_db()
    assert record.review_status == ReviewStatus.MORE_INFORMATION


def test_officer_notes_an_observation_the_enterprise_reads(client, accounts, record):
    accounts[VILLAGE].first_name = "王村官"
    accounts[VILLAGE].save()
    client.force_login(accounts[VILLAGE])
    response = client.post(
        url(record),
        {"observation-observed_at": "2026-04-01T14:02", "observation-note": "二楼疏散较慢"},
    )
    assert response.status_code == 302
    observation = DrillObservation.objects.get()
    assert (observation.observer, observation.observer_name) == (accounts[VILLAGE], "王村官")
    assert observation.observed_at.hour == 6  # 14:02 in Shanghai, stored in UTC

    client.force_login(accounts[MANAGER])
    page = client.get(url(record)).content.decode()
    assert "王村官" in page and "二楼疏散较慢" in page and "2026年4月1日 14:02" in page


def test_empty_observation_is_refused_naming_the_field(client, accounts, record):
    client.force_login(accounts[DEPT])
    response = client.post(
        url(record), {"observation-observed_at": "2026-04-01T14:02", "observation-note": ""}
    )
    assert response.context["observation_form"].errors["note"] == ["必需字段"]
    assert not DrillObservation.objects.exists()


@pytest.mark.parametrize("role", [DEPT, VILLAGE, MANAGER])
def test_other_sides_record_answers_404(client, accounts, town, role):
    other = DrillRecordFactory(enterprise=town["ent_b"])
    client.force_login(accounts[role])
    assert client.get(url(other)).status_code == 404


@pytest.mark.parametrize(("role", "side"), [(MANAGER, "a"), (VILLAGE, "b"), (DEPT, "b")])
def test_only_officers_in_scope_note_observations(accounts, town, role, side):
    with pytest.raises(PermissionDenied):
        drill_observation_add(
            user=accounts[role],
            record=DrillRecordFactory(enterprise=town[f"ent_{side}"]),
            observed_at=datetime.datetime(2026, 4, 1, 6, 0, tzinfo=datetime.UTC),
            note="x",
        )


def test_observation_needs_a_note(accounts, record):
    with pytest.raises(ValidationError):
        drill_observation_add(
            user=accounts[DEPT],
            record=record,
            observed_at=datetime.datetime(2026, 4, 1, 6, 0, tzinfo=datetime.UTC),
            note="  ",
        )


def test_record_list_links_to_the_review_page(client, accounts, record):
    client.force_login(accounts[MANAGER])
    assert url(record) in client.get(reverse("drill_records:index")).content.decode()

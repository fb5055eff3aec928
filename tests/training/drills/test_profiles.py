"""The on-site disposal plan setting: who may set it, and how it changes the obligation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.constants import AccountRole
from directory.models import Enterprise
from tests.factories import EnterpriseFactory
from tests.factories.drills import DrillProfileFactory, DrillRecordFactory
from training.drills.selectors.obligations import DONE, DUE, OVERDUE, drill_obligation_status
from training.drills.services.follow_up import drill_profile_set
from training.models import DrillProfile

YEAR = 2026
MANAGER = AccountRole.ENTERPRISE_MANAGER


def status_of(enterprise, today):
    (row,) = drill_obligation_status(
        enterprises=Enterprise.objects.filter(pk=enterprise.pk), year=YEAR, today=today
    )
    return row


@pytest.fixture
def on_site_enterprise(db):
    enterprise = EnterpriseFactory()
    DrillProfileFactory(enterprise=enterprise, keeps_on_site_plan=True)
    return enterprise


def test_keeping_an_on_site_plan_makes_drills_half_yearly(on_site_enterprise):
    """《生产安全事故应急预案管理办法》第三十三条: the on-site disposal plan each half year."""
    row = status_of(on_site_enterprise, datetime.date(YEAR, 3, 1))
    on_site = row.duties["on_site"]
    assert (on_site.per_year, on_site.status, on_site.due_date) == (
        2,
        DUE,
        datetime.date(YEAR, 6, 30),
    )
    assert on_site.reasons == ["有现场处置方案"]
    assert (row.status, row.due_date) == (DUE, datetime.date(YEAR, 6, 30))


def test_a_profile_without_the_plan_keeps_the_yearly_baseline(db):
    enterprise = EnterpriseFactory()
    DrillProfileFactory(enterprise=enterprise, keeps_on_site_plan=False)
    assert "on_site" not in status_of(enterprise, datetime.date(YEAR, 3, 1)).duties


def test_only_on_site_plan_drills_meet_the_half_yearly_on_site_obligation(on_site_enterprise):
    DrillRecordFactory(
        enterprise=on_site_enterprise, date=datetime.date(YEAR, 3, 1), plan_type="comprehensive"
    )
    row = status_of(on_site_enterprise, datetime.date(YEAR, 7, 1))
    # The evacuation drill meets its duties, but the on-site plan was not drilled in the first half.
    assert (row.duties["evacuation"].status, row.duties["on_site"].status) == (DONE, OVERDUE)
    assert (row.drills_first_half, row.status) == (1, OVERDUE)
    assert row.due_date == datetime.date(YEAR, 6, 30)
    DrillRecordFactory(
        enterprise=on_site_enterprise, date=datetime.date(YEAR, 5, 1), plan_type="on_site"
    )
    DrillRecordFactory(
        enterprise=on_site_enterprise, date=datetime.date(YEAR, 9, 1), plan_type="on_site"
    )
    assert status_of(on_site_enterprise, datetime.date(YEAR, 10, 1)).status == DONE


def test_profiles_keep_the_status_in_two_queries(db):
    for index in range(6):
        enterprise = EnterpriseFactory()
        DrillRecordFactory(
            enterprise=enterprise, date=datetime.date(YEAR, 2, 1), plan_type="comprehensive"
        )
        if index % 2:
            DrillProfileFactory(enterprise=enterprise, keeps_on_site_plan=True)
    with CaptureQueriesContext(connection) as queries:
        rows = drill_obligation_status(
            enterprises=Enterprise.objects.all(), year=YEAR, today=datetime.date(YEAR, 8, 1)
        )
    assert len(queries) == 2
    assert sorted(row.status for row in rows) == [DONE] * 3 + [OVERDUE] * 3


# --- who may set it ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER, MANAGER])
def test_manager_and_officers_set_the_flag_once_per_enterprise(accounts, town, role):
    drill_profile_set(user=accounts[role], enterprise=town["ent_a"], keeps_on_site_plan=True)
    profile = drill_profile_set(
        user=accounts[role], enterprise=town["ent_a"], keeps_on_site_plan=False
    )
    assert DrillProfile.objects.get() == profile
    assert (profile.keeps_on_site_plan, profile.updated_by) == (False, accounts[role])


@pytest.mark.parametrize(
    ("role", "key"),
    [
        (AccountRole.VILLAGE_OFFICER, "ent_a"),
        (AccountRole.LEARNER, "ent_a"),
        (MANAGER, "ent_b"),
        (AccountRole.DEPARTMENT_OFFICER, "ent_b"),
    ],
)
def test_others_may_not_set_it(accounts, town, role, key):
    with pytest.raises(PermissionDenied):
        drill_profile_set(user=accounts[role], enterprise=town[key], keeps_on_site_plan=True)
    assert not DrillProfile.objects.exists()


def test_manager_sets_it_in_the_back_office_and_the_report_follows(client, accounts, town):
    client.force_login(accounts[MANAGER])
    form = client.get(reverse("drill_profiles:add")).context["form"]
    assert list(form.fields["enterprise"].queryset) == [town["ent_a"]]
    response = client.post(
        reverse("drill_profiles:add"),
        {"enterprise": town["ent_a"].pk, "keeps_on_site_plan": "on"},
    )
    assert response.status_code == 302
    profile = DrillProfile.objects.get()
    assert (profile.enterprise, profile.keeps_on_site_plan) == (town["ent_a"], True)
    report = client.get(reverse("drill_obligations:index"), {"year": YEAR})
    assert "有现场处置方案" in report.content.decode()

    response = client.post(reverse("drill_profiles:edit", args=[profile.pk]), {})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.keeps_on_site_plan is False


def test_manager_cannot_add_a_profile_for_another_enterprise(client, accounts, town):
    client.force_login(accounts[MANAGER])
    response = client.post(
        reverse("drill_profiles:add"),
        {"enterprise": town["ent_b"].pk, "keeps_on_site_plan": "on"},
    )
    assert response.status_code == 200 and "enterprise" in response.context["form"].errors
    assert not DrillProfile.objects.exists()

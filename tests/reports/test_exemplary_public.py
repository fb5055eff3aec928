"""The exemplary enterprises the town chooses (示范企业): written by the town office only, with
reasons; the public page shows the year's choices and reasons, no personal data; the count on
the dashboards reads the same rows."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from directory.constants import AccountRole, EnterpriseStatus
from reports.metrics import Scope, metric_get
from reports.models import ExemplaryEnterprise
from reports.selectors.coverage import measure_of
from reports.services.targets import exemplary_save

YEAR = 2026


def choose(enterprise, year=YEAR, reasons="隐患整改闭环，培训学时全员达标。"):
    return ExemplaryEnterprise.objects.create(
        enterprise=enterprise, year=year, named_on=datetime.date(year, 6, 1), reasons=reasons
    )


def test_the_public_page_shows_only_the_years_choices_and_their_reasons(client, town):
    choose(town["ent_a"], reasons="主要负责人带队自查，隐患整改闭环。")
    choose(town["ent_b"], year=YEAR - 1, reasons="去年的入选理由")
    response = client.get(reverse("exemplary") + f"?year={YEAR}")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{YEAR}年度示范企业" in body
    assert "甲机械有限公司" in body and "主要负责人带队自查，隐患整改闭环。" in body
    assert "乙建设有限公司" not in body and "去年的入选理由" not in body
    # No person of the enterprise is named, nor its credit code.
    assert town["person_a"].name not in body and town["ent_a"].credit_code not in body
    body = client.get(reverse("exemplary") + f"?year={YEAR - 1}").content.decode()
    assert "乙建设有限公司" in body and "甲机械有限公司" not in body


def test_a_closed_enterprise_leaves_the_page_and_an_empty_year_says_so(client, town):
    choose(town["ent_a"])
    town["ent_a"].status = EnterpriseStatus.CLOSED
    town["ent_a"].save()
    body = client.get(reverse("exemplary") + f"?year={YEAR}").content.decode()
    assert "甲机械有限公司" not in body
    assert "本年度尚未选出示范企业。" in body


def test_the_page_is_linked_from_the_public_navigation(client, db):
    body = client.get(reverse("search")).content.decode()
    assert f'href="{reverse("exemplary")}"' in body


@pytest.mark.parametrize(
    "role",
    [
        AccountRole.DEPARTMENT_OFFICER,
        AccountRole.VILLAGE_OFFICER,
        AccountRole.ENTERPRISE_MANAGER,
        AccountRole.LEARNER,
        AccountRole.EDITOR,
    ],
)
def test_only_the_town_office_chooses(client, town, accounts, role):
    entry = ExemplaryEnterprise(
        enterprise=town["ent_a"], year=YEAR, named_on=datetime.date(YEAR, 6, 1), reasons="理由"
    )
    with pytest.raises(PermissionDenied):
        exemplary_save(user=accounts[role], exemplary=entry)
    client.force_login(accounts[role])
    response = client.post(
        reverse("exemplary_enterprises:add"),
        {
            "enterprise": town["ent_a"].pk,
            "year": YEAR,
            "named_on": f"{YEAR}-06-01",
            "reasons": "理由",
        },
    )
    assert response.status_code in (302, 403)
    assert not ExemplaryEnterprise.objects.exists()


def test_the_town_office_chooses_with_reasons_and_the_count_follows(client, town, accounts):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    url = reverse("exemplary_enterprises:add")
    data = {"enterprise": town["ent_a"].pk, "year": YEAR, "named_on": f"{YEAR}-06-01"}
    response = client.post(url, {**data, "reasons": ""})
    assert response.status_code == 200
    assert not ExemplaryEnterprise.objects.exists()
    response = client.post(url, {**data, "reasons": "全员培训学时达标。"})
    assert response.status_code == 302
    assert ExemplaryEnterprise.objects.get().reasons == "全员培训学时达标。"
    metric = metric_get("exemplary_enterprises")
    assert measure_of(metric, metric.items(scope=Scope(), year=YEAR), 12).numerator == 1

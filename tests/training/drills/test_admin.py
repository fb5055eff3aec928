"""Drill screens in the back office: lists scoped per role, forms narrowed and saved through the
services, the obligations report for the town office and a department officer."""

import datetime

import pytest
from django.urls import reverse

from directory.constants import AccountRole
from training.drills.services.records import drill_plan_create, drill_record_create
from training.models import DrillRecord, ReviewStatus

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER
EDITOR = AccountRole.EDITOR


def record_fields(**overrides):
    values = {
        "date": datetime.date(2026, 4, 1),
        "scenario": "fire_evacuation",
        "plan_type": "comprehensive",
        "alarm_time": datetime.time(14, 0),
        "all_clear_time": datetime.time(14, 5),
        "headcount": 20,
        "evacuated": 20,
    }
    values.update(overrides)
    return values


@pytest.fixture
def drills(accounts, town):
    town_office = accounts[TOWN]
    records, plans = {}, {}
    for key, observers in (("ent_a", "甲观察员"), ("ent_b", "乙观察员")):
        records[key] = drill_record_create(
            user=town_office, enterprise=town[key], **record_fields(observers=observers)
        )
        plans[key] = drill_plan_create(
            user=town_office,
            enterprise=town[key],
            year=2026,
            planned_date=datetime.date(2026, 9, 1),
            scenario="gas_leak",
            plan_type="special",
        )
    return {"records": records, "plans": plans}


SEES_B = {TOWN: True, DEPT: False, VILLAGE: False, MANAGER: False}


@pytest.mark.parametrize("role", SEES_B)
@pytest.mark.parametrize("namespace", ["drill_records", "drill_plans"])
def test_lists_show_only_in_scope_drills(client, accounts, town, drills, role, namespace):
    client.force_login(accounts[role])
    response = client.get(reverse(f"{namespace}:index"))
    assert response.status_code == 200
    listed = {obj.enterprise_id for obj in response.context["object_list"]}
    expected = {town["ent_a"].pk} | ({town["ent_b"].pk} if SEES_B[role] else set())
    assert listed == expected


@pytest.mark.parametrize("role", [DEPT, MANAGER])
def test_out_of_scope_record_answers_404(client, accounts, drills, role):
    client.force_login(accounts[role])
    other = drills["records"]["ent_b"].pk
    for view in ("edit", "inspect", "delete"):
        assert client.get(reverse(f"drill_records:{view}", args=[other])).status_code == 404


def test_village_officer_cannot_see_other_villages_records(client, accounts, drills):
    client.force_login(accounts[VILLAGE])
    other = drills["records"]["ent_b"].pk
    assert client.get(reverse("drill_records:inspect", args=[other])).status_code == 404


def test_village_officer_may_read_but_not_edit(client, accounts, drills):
    client.force_login(accounts[VILLAGE])
    own = drills["records"]["ent_a"].pk
    assert client.get(reverse("drill_records:inspect", args=[own])).status_code == 200
    assert client.get(reverse("drill_records:edit", args=[own])).status_code != 200


def test_editor_has_no_drill_screens(client, accounts, drills):
    client.force_login(accounts[EDITOR])
    assert client.get(reverse("drill_records:index")).status_code != 200
    # Wagtail answers a refused admin page with a redirect to the dashboard.
    assert client.get(reverse("drill_obligations:index")).status_code == 302


def test_manager_form_offers_only_own_enterprise(client, accounts, town):
    client.force_login(accounts[MANAGER])
    form = client.get(reverse("drill_records:add")).context["form"]
    assert list(form.fields["enterprise"].queryset) == [town["ent_a"]]


def post_data(enterprise, **overrides):
    data = {
        **record_fields(**overrides),
        "enterprise": enterprise.pk,
        "observers": "",
        "problems_found": "",
        "evaluation": "",
    }
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else value
        for key, value in data.items()
    }


def test_manager_adds_a_record_through_the_form(client, accounts, town):
    client.force_login(accounts[MANAGER])
    response = client.post(reverse("drill_records:add"), post_data(town["ent_a"]))
    assert response.status_code == 302
    record = DrillRecord.objects.get()
    assert (record.enterprise, record.recorded_by) == (town["ent_a"], accounts[MANAGER])


def test_form_refuses_another_enterprise_and_bad_times(client, accounts, town):
    client.force_login(accounts[MANAGER])
    other = client.post(reverse("drill_records:add"), post_data(town["ent_b"]))
    assert other.status_code == 200 and "enterprise" in other.context["form"].errors
    times = client.post(
        reverse("drill_records:add"),
        post_data(town["ent_a"], all_clear_time=datetime.time(13, 0)),
    )
    assert "all_clear_time" in times.context["form"].errors
    assert not DrillRecord.objects.exists()


def test_editing_an_accepted_record_resubmits_it(client, accounts, town, drills):
    record = drills["records"]["ent_a"]
    DrillRecord.objects.filter(pk=record.pk).update(review_status=ReviewStatus.ACCEPTED)
    client.force_login(accounts[MANAGER])
    response = client.post(
        reverse("drill_records:edit", args=[record.pk]), post_data(town["ent_a"], evacuated=19)
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.evacuated, record.review_status) == (19, ReviewStatus.SUBMITTED)


# --- the obligations report ------------------------------------------------------------------


@pytest.mark.parametrize("role", [TOWN, DEPT])
def test_obligations_report_lists_the_users_enterprises(client, accounts, town, drills, role):
    client.force_login(accounts[role])
    response = client.get(reverse("drill_obligations:index"), {"year": 2026})
    assert response.status_code == 200
    names = {row.enterprise_name for row in response.context["object_list"]}
    expected = {"甲机械有限公司", "乙建设有限公司"} if role == TOWN else {"甲机械有限公司"}
    assert names == expected
    content = response.content.decode()
    assert all(name in content for name in expected)
    assert all(row.status == "done" for row in response.context["object_list"])


def test_obligations_report_filters_by_status_and_year(client, accounts, town, drills):
    client.force_login(accounts[TOWN])
    due = client.get(reverse("drill_obligations:index"), {"year": 2027, "status": "due"})
    assert len(due.context["object_list"]) == 2
    done = client.get(reverse("drill_obligations:index"), {"year": 2027, "status": "done"})
    assert list(done.context["object_list"]) == []
    results = client.get(reverse("drill_obligations:index_results"), {"year": 2026})
    assert results.status_code == 200


def test_obligations_report_skips_closed_enterprises(client, accounts, town, drills):
    town["ent_b"].status = "closed"
    town["ent_b"].save()
    client.force_login(accounts[TOWN])
    response = client.get(reverse("drill_obligations:index"))
    assert [row.enterprise_name for row in response.context["object_list"]] == ["甲机械有限公司"]

"""The screens that show drill duties, in Chinese: the obligation list's per-duty columns and
duty filter, the coverage screen's three figures, the manager's phone page, the dashboard.

Rules shown (regulations.md §4): 徐泾镇三年行动方案 第21条 (evacuation a year);
《生产安全事故应急预案管理办法》第三十三条 (plan a year, on-site plan each half year);
公安部61号令 第四十条 (fire drill each half year for 消防安全重点单位)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from tests.factories import EnterpriseFactory, UserFactory
from tests.factories.drills import DrillProfileFactory, DrillRecordFactory

TOWN = AccountRole.TOWN_OFFICE
MANAGER = AccountRole.ENTERPRISE_MANAGER
YEAR = 2026


@pytest.fixture(autouse=True)
def _august(time_machine):
    time_machine.move_to(timezone.make_aware(datetime.datetime(YEAR, 8, 1, 10)))


@pytest.fixture
def duties_town(town):
    """ent_a: a fire key unit with one fire evacuation drill in March (second fire drill owed);
    ent_b: keeps an on-site plan, held only a gas-leak drill of it in May (no evacuation)."""
    town["ent_a"].is_fire_key_unit = True
    town["ent_a"].save()
    DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(YEAR, 3, 1))
    DrillProfileFactory(enterprise=town["ent_b"], keeps_on_site_plan=True)
    DrillRecordFactory(
        enterprise=town["ent_b"],
        date=datetime.date(YEAR, 5, 1),
        scenario="gas_leak",
        plan_type="on_site",
    )
    return town


def cells(page: str, name: str) -> str:
    """The table row of an enterprise in a listing."""
    return page.split(name)[1].split("</tr>")[0]


def test_obligation_list_shows_each_duty(client, accounts, duties_town):
    client.force_login(accounts[TOWN])
    page = client.get(reverse("drill_obligations:index"), {"year": YEAR}).content.decode()
    for header in ("疏散演练", "综合或专项应急预案演练", "现场处置方案演练", "消防演练"):
        assert header in page
    key_unit = cells(page, "甲机械有限公司")
    assert "已完成（每年）" in key_unit
    assert "待完成（截止日期：2026年12月31日，每半年：消防安全重点单位）" in key_unit
    # The gas-leak drill met the on-site plan's first half only; evacuation, plan, fire still owed.
    on_site = cells(page, "乙建设有限公司")
    assert on_site.count("待完成（截止日期：2026年12月31日，每年）") == 3
    assert on_site.count("待完成（截止日期：2026年12月31日，每半年：有现场处置方案）") == 1


def test_obligation_list_filters_by_duty(client, accounts, duties_town):
    client.force_login(accounts[TOWN])
    url = reverse("drill_obligations:index")
    on_site = client.get(url, {"year": YEAR, "duty": "on_site"})
    assert [r.enterprise_name for r in on_site.context["object_list"]] == ["乙建设有限公司"]
    fire_due = client.get(url, {"year": YEAR, "duty": "fire", "status": "due"})
    assert {r.enterprise_name for r in fire_due.context["object_list"]} == {
        "甲机械有限公司",
        "乙建设有限公司",
    }
    evacuation_done = client.get(url, {"year": YEAR, "duty": "evacuation", "status": "done"})
    assert [r.enterprise_name for r in evacuation_done.context["object_list"]] == ["甲机械有限公司"]
    assert "演练义务" in evacuation_done.content.decode()


def test_obligation_list_stays_within_a_bounded_number_of_queries(
    client, accounts, duties_town, django_assert_max_num_queries
):
    client.force_login(accounts[TOWN])
    url = reverse("drill_obligations:index")
    client.get(url, {"year": YEAR})
    for _ in range(20):
        EnterpriseFactory(is_fire_key_unit=True)
    with django_assert_max_num_queries(40):
        response = client.get(url, {"year": YEAR})
    assert len(response.context["object_list"]) == 22


def test_coverage_screen_shows_the_three_figures(client, accounts, duties_town):
    client.force_login(accounts[TOWN])
    page = client.get(reverse("drill_coverage"), {"year": YEAR}).content.decode()
    total = page.split('id="coverage-total"')[1].split("</table>")[0]
    assert "100%" in cells(total, "开展演练企业占比")
    assert "50%" in cells(total, "年度疏散演练覆盖率")
    assert "0%" in cells(total, "演练义务完成率")
    assert "被要求补充材料的除外" in page


def test_the_managers_phone_page_shows_the_duties(client, accounts, duties_town):
    client.force_login(accounts[MANAGER])
    page = client.get(reverse("training:drill_list")).content.decode()
    assert "2026年演练义务" in page
    fire = cells(page, "消防演练")
    assert "每半年" in fire and "待完成" in fire and "2026年12月31日" in fire
    evacuation = cells(page, "疏散演练")
    assert "每年" in evacuation and "已完成" in evacuation
    assert "现场处置方案演练" not in page


def test_the_phone_page_of_an_on_site_plan_keeper_lists_that_duty(client, duties_town):
    manager = UserFactory(username="manager-b", role=MANAGER, enterprise=duties_town["ent_b"])
    client.force_login(manager)
    page = client.get(reverse("training:drill_list")).content.decode()
    on_site = cells(page, "现场处置方案演练")
    assert "有现场处置方案" in on_site and "每半年" in on_site
    assert '<td class="num">1</td>' in on_site and "待完成" in on_site
    assert "待完成" in cells(page, "疏散演练")


def test_dashboard_names_the_three_drill_figures(client, accounts, duties_town):
    client.force_login(accounts[TOWN])
    page = client.get(reverse("coverage:dashboard"), {"year": YEAR, "month": 7}).content.decode()
    for label in ("开展演练企业占比", "年度疏散演练覆盖率", "演练义务完成率"):
        assert label in page

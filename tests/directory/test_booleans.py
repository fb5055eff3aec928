"""Boolean fields read 是 / 否 in the back office's listings and inspect pages, never True / False."""

import re

import pytest
from django.test import Client
from django.utils import translation

from directory.constants import AccountRole
from directory.models import Department
from directory.views.booleans import YesNoColumn, is_boolean_field, yes_no
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def _cells(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    ]


def test_yes_no_reads_chinese_and_leaves_an_unknown_empty():
    with translation.override("zh-hans"):
        assert (yes_no(True), yes_no(False), yes_no(None)) == ("是", "否", "")


def test_only_boolean_fields_get_the_yes_no_column():
    assert is_boolean_field(Department, "is_town_office")
    assert not is_boolean_field(Department, "name")
    assert not is_boolean_field(Department, "no_such_field")


def test_a_listing_shows_a_boolean_field_as_yes_or_no(accounts, town):
    DepartmentFactory(name="镇安委办", is_town_office=True)
    client = Client()
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    page = client.get("/admin/registry/departments/").content.decode()
    cells = _cells(page)
    assert "是" in cells and "否" in cells
    assert "True" not in cells and "False" not in cells


def test_the_boolean_column_sorts_by_the_field(rf):
    column = YesNoColumn("is_town_office", label="镇安委办", sort_key="is_town_office")
    assert column.sort_key == "is_town_office"
    with translation.override("zh-hans"):
        assert column.get_value(Department(is_town_office=True)) == "是"


def test_an_inspect_page_shows_a_boolean_field_as_yes_or_no(accounts, town):
    department = town["dept_a"]
    client = Client()
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    page = client.get(f"/admin/registry/departments/inspect/{department.pk}/").content.decode()
    values = [re.sub(r"\s", "", value) for value in re.findall(r"<dd>(.*?)</dd>", page, re.S)]
    assert "否" in values  # 镇安委办: no
    assert "True" not in values and "False" not in values


def test_wagtail_s_tick_and_cross_are_read_out_in_chinese(accounts):
    # The accounts screen uses Wagtail's own BooleanColumn (is_active) with its cell template.
    client = Client()
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    page = client.get("/admin/users/").content.decode()
    spoken = re.findall(r'<span class="w-sr-only">\s*(.*?)\s*</span>', page, re.S)
    assert "是" in spoken  # read out by screen readers beside the tick
    assert "True" not in spoken and "False" not in spoken

"""Key user flows in a real browser: a learner on a phone, a manager importing staff."""

import pytest

from directory.constants import AccountRole
from directory.models import Person
from tests.browser.conftest import log_in
from tests.directory.importing_helpers import PEOPLE_HEADERS, write_xlsx
from tests.factories import id_number_make

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_learner_on_a_phone_sees_own_record_in_chinese_and_can_switch_to_english(
    live_server, phone, accounts, town
):
    person = town["person_a"]
    log_in(phone, live_server, "learner")

    assert phone.url.endswith("/me/")
    body = phone.inner_text("body")
    assert person.name in body and town["ent_a"].name in body
    assert "我的" in body and "一般从业人员" in body
    assert person.id_number not in body and person.id_number[-4:] in body
    # Nothing wider than the phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]

    phone.click("text=English")
    phone.wait_for_load_state()
    assert "My page" in phone.inner_text("body")
    assert phone.get_attribute("html", "lang") == "en"


def test_manager_imports_staff_in_the_back_office(live_server, desktop, accounts, town, tmp_path):
    code = town["ent_a"].credit_code
    path = write_xlsx(
        tmp_path / "staff.xlsx",
        PEOPLE_HEADERS,
        [
            [
                "新员工甲",
                id_number_make(4001),
                "13800004001",
                code,
                "特种作业人员",
                "劳务派遣",
                "电工",
                "2024/3/5",
            ],
            ["新员工乙", id_number_make(4002), "", code, "一般从业人员", "正式", "", "2024-03-06"],
        ],
    )
    log_in(desktop, live_server, "manager", next_url="/admin/registry/imports/")

    desktop.select_option("select[name=kind]", "people")
    desktop.set_input_files("input[name=file]", str(path))
    desktop.click("text=上传并检查")
    desktop.wait_for_selector("text=确认导入")
    assert "将新增：2" in desktop.inner_text("body").replace(" ", "")
    assert not Person.objects.filter(name="新员工甲").exists()

    desktop.click("text=确认导入")
    desktop.wait_for_selector("text=文件已导入。")
    assert Person.objects.get(name="新员工甲").is_special_operator

    desktop.goto(f"{live_server.url}/admin/registry/people/")
    listing = desktop.inner_text("main")
    assert "新员工甲" in listing and "新员工乙" in listing
    assert town["person_b"].name not in listing  # another enterprise's staff
    assert accounts[AccountRole.ENTERPRISE_MANAGER].enterprise == town["ent_a"]

"""An enterprise manager records a drill on a phone: figures computed as they type, a finger
signature on the pad, a photo attached; a refused save keeps the signature drawn."""

import pytest

from tests.browser.conftest import log_in
from tests.upload_files import photo
from training.models import DrillRecord

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def sign(page):
    """Draw with a finger: real touch events through the DevTools protocol, as a phone sends."""
    pad = page.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    cdp = page.context.new_cdp_session(page)
    points = [(box["x"] + 20 + step * 20, box["y"] + 40 + (step % 3) * 15) for step in range(12)]
    cdp.send(
        "Input.dispatchTouchEvent",
        {"type": "touchStart", "touchPoints": [dict(zip("xy", points[0], strict=True))]},
    )
    for x, y in points[1:]:
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def fill(page, evacuated="38"):
    page.fill("input[name=date]", "2026-04-01")
    page.select_option("select[name=scenario]", "fire_evacuation")
    page.select_option("select[name=plan_type]", "comprehensive")
    page.fill("input[name=alarm_time]", "14:00:00")
    page.fill("input[name=all_clear_time]", "14:04:30")
    page.fill("input[name=headcount]", "40")
    page.fill("input[name=evacuated]", evacuated)
    page.fill("textarea[name=problems_found]", "二楼通道堆放杂物")
    page.fill("input[name=signer_name]", "赵六")


def test_manager_records_a_drill_on_a_phone(live_server, phone, accounts, town, tmp_path):
    log_in(phone, live_server, "manager", next_url="/drills/new/")
    assert phone.url.endswith("/drills/new/")
    fill(phone, evacuated="41")
    assert "4分30秒" in phone.inner_text("#duration")
    sign(phone)
    assert phone.input_value("input[name=signature]").startswith("data:image/png;base64,")

    phone.click("text=保存演练记录")
    phone.wait_for_selector("#form-errors")
    assert "疏散人数不能超过在场人数。" in phone.inner_text("#form-errors")
    assert not DrillRecord.objects.exists()
    # The signature drawn before the refusal is still there.
    phone.wait_for_function("document.querySelector('input[name=signature]').value.length > 100")

    phone.fill("input[name=evacuated]", "38")
    assert "95%" in phone.inner_text("#rate")
    upload = photo(captured="2026:04:01 14:01:00")
    path = tmp_path / "drill.jpg"
    path.write_bytes(upload.read())
    phone.set_input_files("input[name=evidence]", str(path))
    phone.click("text=保存演练记录")
    phone.wait_for_url("**/drills/")
    assert "演练已记录" in phone.inner_text("body")
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]

    record = DrillRecord.objects.get()
    assert (record.evacuated, record.signature.signer_name) == (38, "赵六")
    assert record.evidence.get().captured_at is not None


def test_duty_boxes_follow_the_drill_kind(live_server, phone, accounts, town):
    """duties.js ticks and locks what the kind implies and disables what it cannot meet, from
    the rules' data on each box: a fire evacuation is an evacuation and a fire drill (公安部61号令
    第四十条), a gas leak may evacuate but is no fire drill, a rescue evacuates no one; the
    on-site duty follows the plan type (《生产安全事故应急预案管理办法》第三十三条)."""
    log_in(phone, live_server, "manager", next_url="/drills/new/")

    def box(duty):
        return phone.locator(f"input[data-drill-duty={duty}]")

    def state():
        return {
            duty: (box(duty).is_checked(), box(duty).is_disabled())
            for duty in ("evacuation", "plan", "on_site", "fire")
        }

    phone.select_option("select[name=scenario]", "fire_evacuation")
    phone.select_option("select[name=plan_type]", "comprehensive")
    assert state() == {
        "evacuation": (True, True),
        "plan": (True, True),
        "on_site": (False, True),
        "fire": (True, True),
    }
    phone.select_option("select[name=scenario]", "gas_leak")
    phone.select_option("select[name=plan_type]", "on_site")
    assert state() == {
        "evacuation": (False, False),
        "plan": (False, True),
        "on_site": (True, True),
        "fire": (False, True),
    }
    box("evacuation").check()
    phone.select_option("select[name=scenario]", "confined_space_rescue")
    assert state()["evacuation"] == (False, True)
    # Back to a scenario that may evacuate: the user's tick comes back.
    phone.select_option("select[name=scenario]", "gas_leak")
    assert state()["evacuation"] == (True, False)

    fill(phone)
    phone.select_option("select[name=scenario]", "gas_leak")
    phone.select_option("select[name=plan_type]", "on_site")
    sign(phone)
    phone.click("text=保存演练记录")
    phone.wait_for_url("**/drills/")
    assert "疏散演练、现场处置方案演练" in phone.inner_text("body")
    assert DrillRecord.objects.get().duties == {"evacuation", "on_site"}


def test_back_office_record_form_locks_the_same_boxes(live_server, browser, accounts, town):
    """The back-office form shares the field and its script (Wagtail's admin, under its own CSP)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server, "town", next_url="/admin/drills/records/new/")
    page.goto(f"{live_server.url}/admin/drills/records/new/")
    page.select_option("select[name=scenario]", "gas_leak")
    page.select_option("select[name=plan_type]", "special")
    fire = page.locator("input[data-drill-duty=fire]")
    plan = page.locator("input[data-drill-duty=plan]")
    evacuation = page.locator("input[data-drill-duty=evacuation]")
    assert (fire.is_checked(), fire.is_disabled()) == (False, True)
    assert (plan.is_checked(), plan.is_disabled()) == (True, True)
    assert (evacuation.is_checked(), evacuation.is_disabled()) == (False, False)
    page.close()

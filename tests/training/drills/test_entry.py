"""The phone entry of a drill by the enterprise manager: one form, checked whole, written whole."""

import base64
import io

import pytest
from django.urls import reverse
from PIL import Image, ImageDraw

from directory.constants import AccountRole
from tests.upload_files import photo, video
from training.drills.services.entry import signature_decode
from training.models import DrillEvidence, DrillGroupRow, DrillRecord, DrillSignature

MANAGER = AccountRole.ENTERPRISE_MANAGER
URL = "/drills/new/"


def signature(ink=True, fmt="PNG"):
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(image).line((10, 60, 290, 70), fill=(0, 0, 0, 255), width=3)
    buffer = io.BytesIO()
    image.convert("RGB" if fmt == "JPEG" else "RGBA").save(buffer, fmt)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def data(**overrides):
    values = {
        "date": "2026-04-01",
        "scenario": "fire_evacuation",
        "plan_type": "comprehensive",
        "alarm_time": "14:00:00",
        "all_clear_time": "14:04:30",
        "headcount": "40",
        "evacuated": "38",
        "observers": "徐泾村 王五",
        "problems_found": "二楼通道堆放杂物",
        "evaluation": "总体有序",
        "signer_name": "赵六",
        "signature": signature(),
        "groups-TOTAL_FORMS": "3",
        "groups-INITIAL_FORMS": "0",
        "groups-MIN_NUM_FORMS": "0",
        "groups-MAX_NUM_FORMS": "30",
        "groups-0-name": "一号楼",
        "groups-0-headcount": "25",
        "groups-0-evacuated": "24",
        "groups-1-name": "二号楼",
        "groups-1-headcount": "15",
        "groups-1-evacuated": "14",
    }
    values.update(overrides)
    return values


@pytest.fixture
def manager(client, accounts):
    client.force_login(accounts[MANAGER])
    return client


def nothing_written():
    return not (
        DrillRecord.objects.exists()
        or DrillEvidence.objects.exists()
        or DrillGroupRow.objects.exists()
        or DrillSignature.objects.exists()
    )


def errors(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_manager_records_a_drill_on_the_phone(manager, accounts, town):
    assert manager.get(URL).status_code == 200
    response = manager.post(
        URL, {**data(), "evidence": [photo(captured="2026:04:01 14:01:00"), video()]}
    )
    assert response.status_code == 302 and response["Location"] == reverse("training:drill_list")
    record = DrillRecord.objects.get()
    assert (record.enterprise, record.recorded_by, record.review_status) == (
        town["ent_a"],
        accounts[MANAGER],
        "submitted",
    )
    assert record.evacuation_duration.total_seconds() == 270
    assert [(r.name, r.headcount, r.evacuated) for r in record.group_rows.all()] == [
        ("一号楼", 25, 24),
        ("二号楼", 15, 14),
    ]
    assert sorted(e.kind for e in record.evidence.all()) == ["photo", "video"]
    signed = record.signature
    assert signed.signer_name == "赵六"
    assert signed.image.read()[:8] == b"\x89PNG\r\n\x1a\n"
    listing = manager.get(reverse("training:drill_list")).content.decode()
    assert "2026年4月1日" in listing and "已提交" in listing


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"all_clear_time": "13:59:00"}, "解除时间必须晚于报警时间。"),
        ({"evacuated": "41"}, "疏散人数不能超过在场人数。"),
        ({"headcount": ""}, "在场人数"),
        ({"signature": ""}, "签名：请在框内签名后再保存。"),
        ({"signature": signature(ink=False)}, "请在框内签名后再保存。"),
        ({"signature": "data:image/png;base64,bm90IGEgcG5n"}, "无法读取签名，请重新签名。"),
        ({"signer_name": ""}, "负责人"),
        ({"groups-1-evacuated": "16"}, "第2行（二号楼）：疏散人数不能超过在场人数。"),
        (
            {"groups-1-headcount": "20"},
            "各行合计在场 45 人、疏散 38 人，与演练填写的 40 人、38 人不一致。",
        ),
        ({"groups-2-name": "三号楼"}, "请填写整行，或整行留空。"),
    ],
    ids=[
        "all-clear",
        "evacuated",
        "headcount-missing",
        "no-signature",
        "blank-signature",
        "bad-signature",
        "no-signer",
        "row-over",
        "rows-sum",
        "half-row",
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(manager, overrides, expected):
    page = errors(manager.post(URL, {**data(), **overrides, "evidence": [photo()]}))
    assert 'id="form-errors"' in page
    assert expected in page
    assert nothing_written()


def test_a_bad_file_refuses_the_whole_drill(manager):
    page = errors(manager.post(URL, {**data(), "evidence": [photo(), video("a.avi")]}))
    assert "“a.avi”：视频须为 MP4、MOV 或 WebM 文件。" in page
    assert nothing_written()


@pytest.mark.parametrize(
    "role", [AccountRole.DEPARTMENT_OFFICER, AccountRole.LEARNER, AccountRole.TOWN_OFFICE]
)
def test_only_enterprise_managers_use_the_phone_entry(client, accounts, role):
    client.force_login(accounts[role])
    assert client.get(URL).status_code == 403
    assert client.post(URL, data()).status_code == 403
    assert nothing_written()


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_signature_must_be_a_png_with_ink():
    assert signature_decode(signature()).startswith(b"\x89PNG")
    with pytest.raises(Exception, match="signature"):
        signature_decode(signature(fmt="JPEG"))


def test_officer_sees_rows_and_signature_on_the_review_page(manager, client, accounts, town):
    manager.post(URL, data())
    record = DrillRecord.objects.get()
    client.force_login(accounts[AccountRole.VILLAGE_OFFICER])
    page = client.get(reverse("drill_review", args=[record.pk])).content.decode()
    assert "一号楼" in page and "赵六" in page
    image = client.get(reverse("training:signature_file", args=[record.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    client.force_login(accounts[AccountRole.DEPARTMENT_OFFICER])
    other = client.get(reverse("training:signature_file", args=[record.pk]))
    assert other.status_code == 200  # dept_a leads ent_a
    town["ent_a"].lead_department = town["dept_b"]
    town["ent_a"].save()
    assert client.get(reverse("training:signature_file", args=[record.pk])).status_code == 404

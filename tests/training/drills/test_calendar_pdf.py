"""The month calendar of planned and done drills (scoped, two queries) and the printable record."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from directory.constants import AccountRole
from tests.factories.drills import DrillRecordFactory
from tests.training.drills.test_entry import data as entry_data
from training.drills.selectors.calendar import drill_calendar
from training.drills.services.follow_up import corrective_action_create, drill_observation_add
from training.drills.services.records import drill_plan_create
from training.models import DrillRecord

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER


@pytest.fixture
def drills(accounts, town):
    for side in "ab":
        DrillRecordFactory(enterprise=town[f"ent_{side}"], date=datetime.date(2026, 4, 8))
        drill_plan_create(
            user=accounts[TOWN],
            enterprise=town[f"ent_{side}"],
            year=2026,
            planned_date=datetime.date(2026, 4, 20),
            scenario="earthquake",
            plan_type="special",
        )


def names(weeks, day, kind):
    (cell,) = [c for week in weeks for c in week if c.day == day]
    return {item.enterprise.name for item in getattr(cell, kind)}


@pytest.mark.parametrize(
    ("role", "sees_b"), [(TOWN, True), (DEPT, False), (VILLAGE, False), (MANAGER, False)]
)
def test_calendar_shows_plans_and_drills_within_scope(accounts, town, drills, role, sees_b):
    with CaptureQueriesContext(connection) as queries:
        weeks = drill_calendar(accounts[role], 2026, 4)
    assert len(queries) == 2
    expected = {"甲机械有限公司"} | ({"乙建设有限公司"} if sees_b else set())
    assert names(weeks, datetime.date(2026, 4, 8), "done") == expected
    assert names(weeks, datetime.date(2026, 4, 20), "planned") == expected
    assert weeks[0][0].day == datetime.date(2026, 3, 30) and not weeks[0][0].in_month
    assert all(len(week) == 7 for week in weeks)


def test_town_office_narrows_the_calendar_to_a_department(client, accounts, town, drills):
    client.force_login(accounts[TOWN])
    url = reverse("drill_calendar")
    page = client.get(url, {"year": 2026, "month": 4}).content.decode()
    assert "甲机械有限公司" in page and "乙建设有限公司" in page and "2026年4月" in page
    narrowed = client.get(url, {"year": 2026, "month": 4, "department": town["dept_b"].pk})
    assert "甲机械有限公司" not in narrowed.content.decode()
    assert "乙建设有限公司" in narrowed.content.decode()


def test_department_cannot_widen_its_calendar(client, accounts, town, drills):
    client.force_login(accounts[DEPT])
    page = client.get(
        reverse("drill_calendar"), {"year": 2026, "month": 4, "department": town["dept_b"].pk}
    ).content.decode()
    assert "乙建设有限公司" not in page and "甲机械有限公司" in page


def test_editor_has_no_calendar(client, accounts):
    client.force_login(accounts[AccountRole.EDITOR])
    assert client.get(reverse("drill_calendar")).status_code == 302


# --- the printable record ----------------------------------------------------------------------


@pytest.fixture
def full_record(client, accounts, town):
    client.force_login(accounts[MANAGER])
    assert client.post("/drills/new/", entry_data()).status_code == 302
    record = DrillRecord.objects.get()
    corrective_action_create(
        user=accounts[MANAGER],
        record=record,
        problem="二楼通道堆放杂物需清理",
        owner="张三",
        due_date=datetime.date(2026, 4, 30),
    )
    drill_observation_add(
        user=accounts[VILLAGE],
        record=record,
        observed_at=datetime.datetime(2026, 4, 1, 6, 2, tzinfo=datetime.UTC),
        note="疏散总体有序",
    )
    return record


def test_pdf_holds_the_record_in_chinese_with_the_font_embedded(client, accounts, full_record):
    client.force_login(accounts[DEPT])
    response = client.get(reverse("training:drill_record_pdf", args=[full_record.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    for expected in (
        "应急演练记录",
        "甲机械有限公司",
        "2026年4月1日",
        "0:04:30",
        "38/40",
        "95%",
        "一号楼",
        "二楼通道堆放杂物需清理",
        "疏散总体有序",
        "赵六",
    ):
        assert expected in text, expected
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert all("Helvetica" not in str(f.get_object()["/BaseFont"]) for f in fonts.values())
    # The signature is drawn as an image.
    assert any("/XObject" in page["/Resources"] for page in reader.pages)


@pytest.mark.parametrize(
    ("role", "status"), [(MANAGER, 200), (VILLAGE, 200), (AccountRole.LEARNER, 404)]
)
def test_pdf_only_within_scope(client, accounts, full_record, role, status):
    client.force_login(accounts[role])
    response = client.get(reverse("training:drill_record_pdf", args=[full_record.pk]))
    assert response.status_code == status


def test_pdf_of_another_department_answers_404(client, accounts, town):
    record = DrillRecordFactory(enterprise=town["ent_b"])
    client.force_login(accounts[DEPT])
    assert client.get(reverse("training:drill_record_pdf", args=[record.pk])).status_code == 404

"""The duties a drill meets, as entered on the phone and in the back office: the boxes carry the
rules' kinds for the script, an impossible duty is refused on the field in rules.duty_refusal's
words, implied ones are saved unticked, a future date is refused, scoping is unchanged; the list,
review page and PDF name the duties met."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from directory.constants import AccountRole
from tests.factories.drills import DrillRecordFactory
from tests.training.drills.test_admin import post_data
from tests.training.drills.test_entry import data
from training.models import DrillRecord, ReviewStatus

pytestmark = pytest.mark.django_db

MANAGER = AccountRole.ENTERPRISE_MANAGER
TOWN = AccountRole.TOWN_OFFICE
PHONE = "/drills/new/"
FIRE_REFUSAL = "消防演练：只有火灾疏散演练才能满足消防演练义务。"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.UTC))


@pytest.fixture
def manager(client, accounts):
    client.force_login(accounts[MANAGER])
    return client


# --- the phone entry ---------------------------------------------------------------------------


def test_phone_form_offers_the_duties_with_the_kinds_for_the_script(manager):
    page = manager.get(PHONE).content.decode()
    assert "满足的演练义务" in page
    assert "training/drills/duties.js" in page
    # 公安部61号令 第四十条: only the fire evacuation drill is a fire drill.
    assert 'data-drill-duty="fire"' in page
    assert 'data-implied-by="fire_evacuation:comprehensive' in page


def test_phone_saves_implied_and_ticked_duties(manager):
    """A gas leak drill of the on-site plan (《生产安全事故应急预案管理办法》第三十三条) meets the
    on-site duty by what it is; an evacuation the enterprise ticks is kept."""
    response = manager.post(
        PHONE, data(scenario="gas_leak", plan_type="on_site", duties=["evacuation"])
    )
    assert response.status_code == 302
    record = DrillRecord.objects.get()
    assert record.duties == {"evacuation", "on_site"}
    listing = manager.get(reverse("training:drill_list")).content.decode()
    assert "满足的演练义务：疏散演练、现场处置方案演练" in listing


def test_phone_refuses_an_impossible_duty_on_the_field(manager):
    """公安部61号令 第四十条: a gas leak drill is no fire drill."""
    response = manager.post(PHONE, data(scenario="gas_leak", duties=["fire"]))
    assert response.status_code == 200
    assert response.context["form"].errors["duties"] == [FIRE_REFUSAL]
    assert FIRE_REFUSAL in response.content.decode()
    assert not DrillRecord.objects.exists()


def test_phone_refuses_a_drill_dated_in_the_future(manager):
    response = manager.post(PHONE, data(date="2026-09-02"))
    assert response.context["form"].errors["date"] == ["演练日期不能晚于今天。"]
    assert not DrillRecord.objects.exists()


# --- the back office ---------------------------------------------------------------------------


def test_back_office_form_refuses_an_impossible_duty_on_the_field(client, accounts, town):
    """《生产安全事故应急预案管理办法》第三十三条: only a drill of the on-site disposal plan meets
    the on-site duty."""
    client.force_login(accounts[MANAGER])
    page = client.get(reverse("drill_records:add")).content.decode()
    assert "training/drills/duties.js" in page and 'data-drill-duty="on_site"' in page
    response = client.post(
        reverse("drill_records:add"), {**post_data(town["ent_a"]), "duties": ["on_site"]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["duties"] == [
        "现场处置方案演练：只有现场处置方案的演练才能满足。"
    ]
    assert not DrillRecord.objects.exists()


def test_back_office_form_saves_implied_duties_and_refuses_future_dates(client, accounts, town):
    client.force_login(accounts[MANAGER])
    future = client.post(
        reverse("drill_records:add"), post_data(town["ent_a"], date=datetime.date(2026, 12, 1))
    )
    assert future.context["form"].errors["date"] == ["演练日期不能晚于今天。"]
    response = client.post(reverse("drill_records:add"), post_data(town["ent_a"]))
    assert response.status_code == 302
    # A fire evacuation drill of the comprehensive plan: evacuation, plan and fire duties.
    assert DrillRecord.objects.get().duties == {"evacuation", "plan", "fire"}


def test_editing_the_kind_drops_duties_it_can_no_longer_meet(client, accounts, town):
    record = DrillRecordFactory(enterprise=town["ent_a"], review_status=ReviewStatus.ACCEPTED)
    assert record.duties == {"evacuation", "plan", "fire"}
    client.force_login(accounts[MANAGER])
    form = client.get(reverse("drill_records:edit", args=[record.pk])).context["form"]
    assert set(form["duties"].initial) == {"evacuation", "plan", "fire"}
    response = client.post(
        reverse("drill_records:edit", args=[record.pk]),
        {**post_data(town["ent_a"], scenario="gas_leak", plan_type="special")},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.duties, record.review_status) == ({"plan"}, ReviewStatus.SUBMITTED)
    listing = client.get(reverse("drill_records:index")).content.decode()
    assert "满足的演练义务" in listing and "综合或专项应急预案演练" in listing


def test_back_office_scoping_is_unchanged(client, accounts, town):
    client.force_login(accounts[MANAGER])
    response = client.post(
        reverse("drill_records:add"), {**post_data(town["ent_b"]), "duties": ["evacuation"]}
    )
    assert "enterprise" in response.context["form"].errors
    assert not DrillRecord.objects.exists()


# --- showing the duties met ---------------------------------------------------------------------


def test_review_page_and_pdf_name_the_duties_met(client, accounts, town):
    record = DrillRecordFactory(
        enterprise=town["ent_a"], scenario="gas_leak", plan_type="on_site", meets_evacuation=True
    )
    client.force_login(accounts[TOWN])
    page = client.get(reverse("drill_review", args=[record.pk])).content.decode()
    assert "疏散演练、现场处置方案演练" in page
    pdf = client.get(reverse("training:drill_record_pdf", args=[record.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "疏散演练、现场处置方案演练" in text

"""一人一档: the page, the printable PDF read back, the enterprise's sortable list and export."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from directory.constants import AccountRole
from tests.factories import PersonFactory
from tests.factories.learning import StudyHourEntryFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def history(town):
    a = town["person_a"]
    a.hire_date = datetime.date(2019, 1, 1)
    a.save()
    for hours, date, name in [
        ("8", datetime.date(TODAY.year, 3, 5), "年度从业人员再培训"),
        ("4", datetime.date(TODAY.year - 1, 6, 1), "有限空间作业专题"),
    ]:
        StudyHourEntryFactory(
            person=a,
            hours=Decimal(hours),
            date=date,
            training_name=name,
            organisation="镇安委办",
        )
    return a


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        (AccountRole.LEARNER, 200, 404),
        (AccountRole.ENTERPRISE_MANAGER, 200, 404),
        (AccountRole.VILLAGE_OFFICER, 200, 404),
        (AccountRole.DEPARTMENT_OFFICER, 200, 404),
        (AccountRole.TOWN_OFFICE, 200, 200),
        (AccountRole.EDITOR, 404, 404),
    ],
)
def test_record_scoping_matrix(client, accounts, town, history, role, own, other):
    client.force_login(accounts[role])
    for key, expected in (("person_a", own), ("person_b", other)):
        for name in ("learning:record", "learning:record_pdf"):
            response = client.get(reverse(name, args=[town[key].pk]))
            assert response.status_code == expected, (role, key, name)


def test_record_page_shows_ledger_by_year_and_status(client, accounts, history):
    client.force_login(accounts[AccountRole.LEARNER])
    response = client.get(reverse("learning:my_record"), follow=True)
    html = response.content.decode()
    assert "年度从业人员再培训" in html and "有限空间作业专题" in html
    assert "已达标" in html
    # The person sees their own number whole (sees_personal_data).
    assert history.id_number in html


def test_manager_of_another_enterprise_sees_masked_numbers(client, accounts, town, history):
    client.force_login(accounts[AccountRole.VILLAGE_OFFICER])
    html = client.get(reverse("learning:record", args=[history.pk])).content.decode()
    assert history.id_number not in html and history.id_number[-4:] in html


def test_pdf_embeds_the_cjk_font_and_reads_back(client, accounts, history):
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    response = client.get(reverse("learning:record_pdf", args=[history.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.getvalue()))
    text = "".join(page.extract_text() for page in pdf.pages)
    for expected in ("张三", "年度从业人员再培训", "有限空间作业专题", "签名", "已达标"):
        assert expected in text, expected
    fonts = pdf.pages[0]["/Resources"]["/Font"]
    descriptors = [
        f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for f in fonts.values()
        if "/DescendantFonts" in f.get_object()
    ] or [f.get_object()["/FontDescriptor"] for f in fonts.values()]
    assert any("/FontFile2" in d for d in descriptors)


def test_enterprise_view_sorts_and_exports(client, accounts, town, history):
    PersonFactory(name="赵六", employer=town["ent_a"], hire_date=datetime.date(2019, 1, 1))
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    url = reverse("learning:enterprise_status")
    html = client.get(url, {"sort": "status"}).content.decode()
    assert html.index("赵六") < html.index("张三")  # short before met
    assert "差 8" in html
    html = client.get(url, {"sort": "name"}).content.decode()
    assert "李四" not in html
    response = client.get(url, {"format": "xlsx", "sort": "-credited"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "姓名"
    assert rows[1][0] == "张三" and rows[1][3] == 8
    # Officers pick an enterprise they follow; others are not found.
    client.force_login(accounts[AccountRole.DEPARTMENT_OFFICER])
    assert client.get(url, {"enterprise": town["ent_a"].pk}).status_code == 200
    assert client.get(url, {"enterprise": town["ent_b"].pk}).status_code == 404
    client.force_login(accounts[AccountRole.LEARNER])
    assert client.get(url).status_code == 404

"""The enterprise's status list: sortable, scoped, exported (一人一档 itself: tests/dossiers)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

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

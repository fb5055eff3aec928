"""Search-as-you-type for large choice filters: the JSON endpoint offers only what the viewer may
see, and the filters it feeds still filter, by id (the script) or by the name typed (no script)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.constants import AccountRole
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER


def offered(client, user, text: str) -> list[dict]:
    client.force_login(user)
    response = client.get(reverse("directory_choices:enterprises"), {"q": text})
    assert response.status_code == 200
    return response.json()["results"]


@pytest.mark.parametrize(
    ("role", "names"),
    [
        (TOWN, ["乙建设有限公司", "甲机械有限公司"]),
        (DEPT, ["甲机械有限公司"]),
        (AccountRole.VILLAGE_OFFICER, ["甲机械有限公司"]),
        (MANAGER, ["甲机械有限公司"]),
        (AccountRole.EDITOR, []),
    ],
)
def test_only_the_viewers_enterprises_are_offered(client, accounts, town, role, names):
    results = offered(client, accounts[role], "有限公司")
    assert sorted(r["label"] for r in results) == names


def test_an_option_carries_the_name_and_credit_code_only(client, accounts, town):
    (result,) = offered(client, accounts[DEPT], town["ent_a"].credit_code[:6])
    assert result == {
        "id": town["ent_a"].pk,
        "label": "甲机械有限公司",
        "detail": town["ent_a"].credit_code,
    }


def test_nothing_is_offered_for_nothing_typed_and_the_answer_is_short(client, accounts, town):
    assert offered(client, accounts[TOWN], "  ") == []
    url = reverse("directory_choices:enterprises")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"q": "贸易"}).status_code == 200
        return len(captured)

    EnterpriseFactory(name="丙贸易有限公司", lead_department=town["dept_a"])
    few = queries()
    for n in range(30):
        EnterpriseFactory(name=f"丙{n:02d}贸易有限公司", lead_department=town["dept_a"])
    assert queries() == few
    results = offered(client, accounts[TOWN], "贸易")
    assert len(results) == 20
    assert [r["label"] for r in results] == sorted(r["label"] for r in results)


def test_signed_out_gets_no_choices(client, town):
    response = client.get(reverse("directory_choices:enterprises"), {"q": "公司"})
    assert response.status_code == 302


GAPS = "certification_gaps:index"


@pytest.fixture
def operators(town):
    from tests.factories import PersonFactory

    return [
        PersonFactory(name="无证甲", employer=town["ent_a"], is_special_operator=True),
        PersonFactory(name="无证乙", employer=town["ent_b"], is_special_operator=True),
    ]


def test_the_gap_list_has_no_select_of_enterprises(client, accounts, town, operators):
    client.force_login(accounts[TOWN])
    html = client.get(reverse(GAPS)).content.decode()
    assert "data-choice-search" in html
    assert "directory/choice_search.js" in html
    assert ">乙建设有限公司</option>" not in html


@pytest.mark.parametrize("value", ["ent_b_pk", "乙建设有限公司", "乙建设"])
def test_the_enterprise_filter_filters_by_id_or_by_the_name_typed(
    client, accounts, town, operators, value
):
    client.force_login(accounts[TOWN])
    value = str(town["ent_b"].pk) if value == "ent_b_pk" else value
    html = client.get(reverse(GAPS), {"enterprise": value}).content.decode()
    assert "无证乙" in html
    assert "无证甲" not in html
    # The chosen enterprise is shown by name in the text box, its id kept for the script.
    assert 'value="乙建设有限公司"' in html
    assert f'data-choice-value="{town["ent_b"].pk}"' in html


def test_another_units_enterprise_cannot_be_chosen(client, accounts, town, operators):
    client.force_login(accounts[DEPT])
    for value in (str(town["ent_b"].pk), "乙建设有限公司"):
        html = client.get(reverse(GAPS), {"enterprise": value}).content.decode()
        assert "无证乙" not in html
        assert f'data-choice-value="{town["ent_b"].pk}"' not in html

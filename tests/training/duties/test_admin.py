"""The town office words and confirms the 五带头 items in the back office; nobody else may."""

import pytest
from django.urls import reverse

from directory.constants import AccountRole
from training.models import DutyItem

pytestmark = pytest.mark.django_db


def test_town_office_confirms_an_item(client, accounts):
    item = DutyItem.objects.get(code="teach")
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    assert client.get(reverse("duty_items:index")).status_code == 200
    response = client.post(
        reverse("duty_items:edit", args=[item.pk]),
        {
            "code": "teach",
            "title": "带头讲安全课",
            "guidance": item.guidance,
            "source": item.source,
            "wording_confirmed": "on",
            "sort_order": item.sort_order,
            "active": "on",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.wording_confirmed and item.title == "带头讲安全课"


@pytest.mark.parametrize(
    "role",
    [AccountRole.DEPARTMENT_OFFICER, AccountRole.ENTERPRISE_MANAGER, AccountRole.VILLAGE_OFFICER],
)
def test_others_may_not_edit_items(client, accounts, role):
    item = DutyItem.objects.get(code="teach")
    client.force_login(accounts[role])
    response = client.get(reverse("duty_items:edit", args=[item.pk]))
    assert response.status_code in (302, 403)
    assert not DutyItem.objects.filter(wording_confirmed=True).exists()

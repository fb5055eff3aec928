"""The special-operation catalogue in the back office (certificates/catalogue.py, regulations.md §1):
the town office corrects a category or an operation; other roles cannot; a row in use cannot be
deleted."""

import pytest
from django.urls import reverse

from certificates.models import OperationCategory, SpecialOperation
from directory.constants import AccountRole
from tests.factories.certificates import low_voltage, special_certificate

TOWN = AccountRole.TOWN_OFFICE
MANAGER = AccountRole.ENTERPRISE_MANAGER


def test_town_office_corrects_an_operation(client, accounts):
    operation = low_voltage()
    client.force_login(accounts[TOWN])
    assert "低压电工作业" in client.get(reverse("special_operations:index")).content.decode()
    response = client.post(
        reverse("special_operations:edit", args=[operation.pk]),
        {
            "category": operation.category_id,
            "code": operation.code,
            "name": "低压电工作业（更正）",
            "source": operation.source,
            "sort_order": operation.sort_order,
        },
    )
    assert response.status_code == 302
    operation.refresh_from_db()
    assert operation.name == "低压电工作业（更正）"


@pytest.mark.parametrize("namespace", ["special_operations", "operation_categories"])
def test_other_roles_cannot_edit_the_catalogue(client, accounts, namespace):
    row = low_voltage() if namespace == "special_operations" else low_voltage().category
    client.force_login(accounts[MANAGER])
    assert client.get(reverse(f"{namespace}:edit", args=[row.pk])).status_code != 200
    client.post(reverse(f"{namespace}:delete", args=[row.pk]))
    assert type(row).objects.filter(pk=row.pk).exists()


def test_an_operation_in_use_is_not_deleted(client, accounts, town):
    certificate = special_certificate(town["person_a"])
    client.force_login(accounts[TOWN])
    response = client.post(
        reverse("special_operations:delete", args=[certificate.operation_id]), follow=True
    )
    assert "无法删除" in response.content.decode()
    assert SpecialOperation.objects.filter(pk=certificate.operation_id).exists()


def test_a_category_with_operations_is_not_deleted_an_empty_one_is(client, accounts):
    client.force_login(accounts[TOWN])
    category = low_voltage().category
    client.post(reverse("operation_categories:delete", args=[category.pk]))
    assert OperationCategory.objects.filter(pk=category.pk).exists()
    empty = OperationCategory.objects.create(code="99", name="试用类别", sort_order=99)
    response = client.post(reverse("operation_categories:delete", args=[empty.pk]))
    assert response.status_code == 302
    assert not OperationCategory.objects.filter(pk=empty.pk).exists()

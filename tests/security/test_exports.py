"""Exports: formula injection neutralised, and every export logged for the town office."""

import io

import openpyxl
import pytest
from django.urls import reverse

from directory.constants import AccountRole
from directory.exports import cell_safe, dataset_safe
from directory.models import ExportLogEntry
from tests.export_helpers import export_get

pytestmark = pytest.mark.django_db

PEOPLE_EXPORT = reverse("registry_people:index") + "?export=xlsx"


def _rows(response):
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    return list(book.active.iter_rows(values_only=True)), book.active


@pytest.mark.parametrize(
    "text", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", '=HYPERLINK("x")']
)
def test_a_cell_that_would_run_as_a_formula_is_quoted(text):
    assert cell_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["张三", "13812345678", 42, -3, None, "a=b"])
def test_ordinary_values_are_untouched(value):
    assert cell_safe(value) == value


def test_exported_file_holds_no_formula(client, accounts, town):
    person = town["person_a"]
    person.post = '=HYPERLINK("http://evil.example","点击")'
    person.save()
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    rows, sheet = _rows(export_get(client, PEOPLE_EXPORT))
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert any(str(v).startswith("'=HYPERLINK") for row in rows for v in row if v)


def test_an_export_is_logged_with_whether_it_carried_whole_numbers(client, accounts, town):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    export_get(client, PEOPLE_EXPORT + "&q=张")
    client.force_login(accounts[AccountRole.DEPARTMENT_OFFICER])
    export_get(client, PEOPLE_EXPORT)
    town_entry, dept_entry = ExportLogEntry.objects.order_by("pk")
    assert (town_entry.username, town_entry.personal_data) == ("town", True)
    assert town_entry.rows == 1 and "q=" in town_entry.query
    # A department officer's export is masked, and the log says so.
    assert (dept_entry.username, dept_entry.personal_data) == ("dept", False)
    assert dept_entry.rows == 2


def test_only_the_town_office_reads_the_export_log(client, accounts, town):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    export_get(client, PEOPLE_EXPORT)
    log_url = reverse("directory_exports:index")
    page = client.get(log_url)
    assert page.status_code == 200
    assert "导出记录" in page.content.decode() and "town" in page.content.decode()
    for role in (AccountRole.DEPARTMENT_OFFICER, AccountRole.ENTERPRISE_MANAGER):
        client.force_login(accounts[role])
        assert client.get(log_url).status_code in (302, 403)


def test_dataset_safe_keeps_shape():
    import tablib

    data = tablib.Dataset(["=1", "x"], ["y", "+2"], headers=["@h", "k"])
    safe = dataset_safe(data)
    assert safe.headers == ["'@h", "k"]
    assert list(safe) == [("'=1", "x"), ("y", "'+2")]

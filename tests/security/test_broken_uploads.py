"""A broken upload in the middle of an import (the connection dropped): nothing is written."""

import pytest

from directory.importing.services import import_file
from directory.models import Person
from tests.directory.importing_helpers import PEOPLE_HEADERS, write_csv, write_xlsx
from tests.factories import id_number_make

pytestmark = pytest.mark.django_db

ROWS = 2200  # more than two batches (BATCH_ROWS), so earlier batches were already written inside the transaction


def _rows(town):
    code = town["ent_a"].credit_code
    return [
        [f"员工{n}", id_number_make(10_000 + n), "", code, "", "正式", "", "2020-01-01"]
        for n in range(ROWS)
    ]


@pytest.mark.parametrize("keep", [0.6, 0.99])
def test_a_csv_cut_off_mid_row_writes_nothing(town, tmp_path, keep):
    path = write_csv(tmp_path / "people.csv", PEOPLE_HEADERS, _rows(town))
    data = path.read_bytes()
    cut = int(len(data) * keep)
    # Cut inside an ID number, as a dropped connection would.
    while data[cut - 1 : cut] in (b"\n", b","):
        cut -= 3
    path.write_bytes(data[:cut])
    before = Person.objects.count()

    report = import_file(kind="people", path=path, dry_run=False)

    assert not report.ok and not report.written
    assert Person.objects.count() == before
    assert report.error_rows, "the cut row is named"
    assert report.error_rows[-1].row == len(data[:cut].splitlines())


@pytest.mark.parametrize("keep", [0.5, 0.95])
def test_a_truncated_xlsx_is_refused_whole(town, tmp_path, keep):
    path = write_xlsx(tmp_path / "people.xlsx", PEOPLE_HEADERS, _rows(town))
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    before = Person.objects.count()

    report = import_file(kind="people", path=path, dry_run=False)

    assert not report.ok and not report.written
    assert Person.objects.count() == before
    assert any("xlsx" in error for error in report.file_errors)


def test_the_whole_file_imports(town, tmp_path):
    path = write_csv(tmp_path / "people.csv", PEOPLE_HEADERS, _rows(town))
    before = Person.objects.count()
    assert import_file(kind="people", path=path, dry_run=False).written
    assert Person.objects.count() == before + ROWS


def test_nul_characters_in_cells_are_dropped_not_a_database_error(town, tmp_path):
    # PostgreSQL refuses NUL in text columns; a NUL is never meant in a spreadsheet cell.
    row = ["张\x00三丰", id_number_make(20_001), "", town["ent_a"].credit_code, "", "正式", "", ""]
    path = write_csv(tmp_path / "people.csv", PEOPLE_HEADERS, [row])
    report = import_file(kind="people", path=path, dry_run=False)
    assert report.written, report.lines()
    assert Person.objects.get(id_number=id_number_make(20_001)).name == "张三丰"

"""Property-based tests (hypothesis): validators and the import never crash, never half-write."""

import string

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from stdnum.cn import ric, uscc

from directory.demo import credit_code_make, id_number_make
from directory.identifiers import (
    credit_code_validate,
    id_number_mask,
    id_number_validate,
    phone_mask,
    phone_validate,
)
from directory.importing.services import import_file
from directory.models import Person
from tests.directory.importing_helpers import PEOPLE_HEADERS, write_csv, write_xlsx

FAST = settings(max_examples=200, deadline=None)
# Cells as they arrive from strangers' spreadsheets: any text, formulas, control characters, huge.
NASTY_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-1", "\x00", "\ufeff", "NULL"]),
    st.text(alphabet="0123456789X ", min_size=15, max_size=20),
    st.builds(lambda n: "长" * n, st.integers(min_value=1000, max_value=40000)),
)


@FAST
@given(st.text(max_size=30))
@example("31011819900101001X")
@example("３１０１１８１９９００１０１００１Ｘ")
def test_id_number_validator_accepts_only_checksummed_numbers(text):
    try:
        number = id_number_validate(text)
    except ValidationError:
        return
    assert len(number) == 18
    assert ric.calc_check_digit(number) == number[-1]


@FAST
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=16), st.data())
def test_every_single_character_error_in_an_id_number_is_caught(n, position, data):
    number = id_number_make(n)
    alphabet = string.digits + ("X" if position == 17 else "")
    wrong = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    with pytest.raises(ValidationError):
        id_number_validate(number[:position] + wrong + number[position + 1 :])


@FAST
@given(st.integers(min_value=0, max_value=10**8), st.integers(min_value=0, max_value=17), st.data())
def test_every_single_character_error_in_a_credit_code_is_caught(n, position, data):
    code = credit_code_make(n)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    wrong = data.draw(st.sampled_from([c for c in alphabet if c != code[position]]))
    with pytest.raises(ValidationError):
        credit_code_validate(code[:position] + wrong + code[position + 1 :])


@FAST
@given(st.text(max_size=30))
def test_credit_code_and_phone_validators_fail_only_with_a_message(text):
    for validate in (credit_code_validate, phone_validate):
        try:
            value = validate(text)
        except ValidationError as error:
            assert error.messages and all(error.messages)
        else:
            assert value and " " not in value
    try:
        code = credit_code_validate(text)
    except ValidationError:
        return
    assert uscc.calc_check_digit(code[:17]) == code[-1]


@FAST
@given(st.text(alphabet=string.digits + "X", min_size=8, max_size=20))
def test_masks_never_show_more_than_seven_characters(value):
    for masked in (id_number_mask(value), phone_mask(value)):
        assert len(masked) == len(value)
        assert sum(1 for c in masked if c != "*") <= 7


ROW = st.lists(
    NASTY_TEXT | st.none() | st.integers() | st.floats(allow_nan=True), min_size=0, max_size=10
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(ROW, min_size=1, max_size=6), as_xlsx=st.booleans())
def test_garbage_files_get_a_report_and_write_nothing(tmp_path, town, rows, as_xlsx):
    before = Person.objects.count()
    if as_xlsx:
        # openpyxl refuses control characters in cells: such a file could not come from Excel.
        clean = [
            [ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row]
            for row in rows
        ]
        path = write_xlsx(tmp_path / "people.xlsx", PEOPLE_HEADERS, clean)
    else:
        path = write_csv(tmp_path / "people.csv", PEOPLE_HEADERS, rows)
    report = import_file(kind="people", path=path, dry_run=False)
    if not report.ok:
        assert Person.objects.count() == before
        reasons = report.file_errors + [e for row in report.error_rows for e in row.errors]
        assert reasons and all(isinstance(r, str) and r for r in reasons)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(blob=st.binary(max_size=2000))
def test_random_bytes_as_a_csv_are_refused_cleanly(tmp_path, town, blob):
    path = tmp_path / "people.csv"
    path.write_bytes(blob)
    before = Person.objects.count()
    report = import_file(kind="people", path=path, dry_run=False)
    assert Person.objects.count() == before or report.ok
    if not report.ok:
        assert report.file_errors or report.error_rows

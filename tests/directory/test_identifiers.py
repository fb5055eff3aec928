"""Resident ID numbers, credit codes, phones and masking."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from directory.identifiers import (
    credit_code_validate,
    id_number_mask,
    id_number_sex,
    id_number_validate,
    normalize_code,
    phone_mask,
    phone_validate,
)
from directory.models import Person
from tests.factories import PersonFactory, credit_code_make, id_number_make


def test_the_regulations_example_validates():
    assert id_number_validate("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize("area", ["310118", "320583", "440305", "120116", "320571"])
def test_area_codes_stdnum_calls_stale_are_accepted(area):
    # stdnum.cn.ric.validate rejects or crashes on these; only checksum and birth date count.
    number = id_number_make(7, area=area)
    assert id_number_validate(number) == number


@pytest.mark.parametrize(
    "bad",
    [
        "11010519491231002",  # 17 characters
        "110105194912310021",  # wrong check digit
        "11010519491331002X",  # month 13 (check digit recomputed below)
        "1101051949123100AX",
    ],
)
def test_bad_id_numbers_are_refused(bad):
    from stdnum.cn import ric

    if bad.startswith("11010519491331"):
        bad = bad[:17] + ric.calc_check_digit(bad[:17] + "0")
    with pytest.raises(ValidationError):
        id_number_validate(bad)


def test_future_birth_date_is_refused():
    from stdnum.cn import ric

    body = "310118" + "20991231" + "001"
    with pytest.raises(ValidationError):
        id_number_validate(body + ric.calc_check_digit(body + "0"))


def test_full_width_and_spaces_are_normalized():
    number = id_number_make(3)
    wide = " ".join(number).translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert normalize_code(wide) == number
    assert id_number_validate(wide) == number


@pytest.mark.django_db
def test_birth_date_and_sex_are_derived_from_the_id_number():
    person = PersonFactory(id_number="11010519491231002X")
    person = Person.objects.get(pk=person.pk)
    assert person.birth_date == datetime.date(1949, 12, 31)
    assert person.sex == "F"  # 17th digit 2 is even
    assert id_number_sex("110105194912310011") == "M"


def test_credit_codes():
    assert credit_code_validate(credit_code_make(1).lower()) == credit_code_make(1)
    with pytest.raises(ValidationError):
        credit_code_validate(credit_code_make(1)[:-1] + "0")


def test_phones():
    assert phone_validate("+86 138-1234-5678") == "13812345678"
    assert phone_validate("021-59881234") == "02159881234"
    with pytest.raises(ValidationError):
        phone_validate("12345")


def test_masks_keep_only_what_identifies_nothing():
    assert id_number_mask("310118196502070017") == "310***********0017"
    assert phone_mask("13812345678") == "138****5678"
    assert id_number_mask("") == "" and phone_mask("") == ""

"""Chinese identifiers: resident ID numbers (GB 11643) and unified social credit codes (GB 32100).

Checksums come from python-stdnum. `stdnum.cn.ric.validate` also checks the area code against a
stale table (it rejects 310118, Qingpu's own code), so only the checksum and birth date are
checked here: an unknown area code is not an error (regulations.md §7).
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc


def normalize_text(value) -> str:
    """Full-width to half-width, stray spaces removed (as cells from Chinese Excel arrive)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", " ", text).strip()


def normalize_code(value) -> str:
    """An identifier as text: no spaces at all, upper case; numbers from Excel lose their '.0'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", "", normalize_text(value)).upper()


def id_number_validate(value: str) -> str:
    number = normalize_code(value)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(_("An ID number has 17 digits and a check digit (0-9 or X)."))
    if ric.calc_check_digit(number) != number[-1]:
        raise ValidationError(_("The check digit of this ID number is wrong."))
    try:
        birth = ric.get_birth_date(number)
    except Exception:  # stdnum raises its own InvalidComponent for impossible dates
        birth = None
    if birth is None or birth > timezone.localdate() or birth.year < 1900:
        raise ValidationError(_("The birth date in this ID number is not a real date."))
    return number


def id_number_birth_date(number: str) -> datetime.date:
    return ric.get_birth_date(number)


def id_number_sex(number: str) -> str:
    # GB 11643: the 17th digit is odd for men, even for women.
    return "M" if int(number[16]) % 2 else "F"


def credit_code_validate(value: str) -> str:
    code = normalize_code(value)
    try:
        return uscc.validate(code)
    except Exception as error:
        raise ValidationError(
            _(
                "This unified social credit code is not valid (18 characters with a check character)."
            )
        ) from error


def phone_validate(value: str) -> str:
    phone = re.sub(r"[\s-]", "", normalize_text(value))
    if phone.startswith("+86"):
        phone = phone[3:]
    if not re.fullmatch(r"1[3-9]\d{9}|0\d{2,3}\d{7,8}", phone):
        raise ValidationError(_("Enter an 11-digit mobile number or a landline with area code."))
    return phone


def id_number_mask(number: str) -> str:
    """310***********1234: the area's first three digits and the last four stay."""
    if not number:
        return ""
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def name_mask(name: str) -> str:
    """张*三 for three characters or more, 张* for two: enough to confirm, not to learn a name."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def phone_mask(phone: str) -> str:
    """138****5678."""
    if not phone:
        return ""
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]

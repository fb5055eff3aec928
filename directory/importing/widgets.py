"""django-import-export widgets for cells as Chinese spreadsheets hold them.

Each raises ValueError with a message for the user; the resource adds the row and column.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from directory.identifiers import id_number_validate, normalize_code, normalize_text
from directory.importing.vocabulary import NO_WORDS, YES_WORDS

# Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s.*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


class TextWidget(widgets.CharWidget):
    def __init__(self, *, required: bool = False, max_length: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.required = required
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        text = normalize_text(value)
        if self.required and not text:
            raise ValueError(_("This column must not be empty."))
        if self.max_length and len(text) > self.max_length:
            raise ValueError(
                _("At most %(max)d characters (this has %(n)d).")
                % {"max": self.max_length, "n": len(text)}
            )
        return text


class CodeWidget(widgets.CharWidget):
    """An identifier: spaces and full-width characters removed, then checked by `validator`."""

    def __init__(self, *, validator, required: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.validator = validator
        self.required = required

    def clean(self, value, row=None, **kwargs):
        # Spreadsheet numbers are doubles: past 15 digits the last ones are already lost.
        if isinstance(value, int | float) and len(str(int(value))) > 15:
            raise ValueError(
                _(
                    "Excel stored this as a number and lost its last digits; "
                    "format the column as text and enter it again."
                )
            )
        code = normalize_code(value)
        if not code:
            if self.required:
                raise ValueError(_("This column must not be empty."))
            return ""
        try:
            return self.validator(code)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from error


class DateWidget(widgets.Widget):
    """A real Excel date cell, or text such as 2019-08-06, 2019/8/6, 2019年8月6日, 20190806."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, int | float) and 1 < value < 2958466:
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        text = normalize_text(value)
        for pattern in DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                try:
                    return datetime.date(*(int(part) for part in match.groups()))
                except ValueError:
                    break
        raise ValueError(
            _("“%(value)s” is not a date; write it as 2019-08-06 or 2019/8/6.") % {"value": text}
        )

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = normalize_code(value)
        if text in YES_WORDS:
            return True
        if text in NO_WORDS:
            return False
        raise ValueError(_("Write 是 or 否 (got “%(value)s”).") % {"value": normalize_text(value)})

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class CountWidget(widgets.Widget):
    """A non-negative whole number; "120人" and 120.0 are read as 120."""

    def clean(self, value, row=None, **kwargs):
        if value is None or normalize_text(value) == "":
            return 0
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int):
            number = value
        else:
            text = normalize_text(value).removesuffix("人").replace(",", "")
            if not text.isdigit():
                raise ValueError(
                    _("“%(value)s” is not a whole number.") % {"value": normalize_text(value)}
                )
            number = int(text)
        if number < 0:
            raise ValueError(_("The number must not be negative."))
        return number

    def render(self, value, obj=None, **kwargs):
        return value


class WordWidget(widgets.Widget):
    """One word from a fixed vocabulary, e.g. 用工形式 劳务派遣 → "dispatched"."""

    def __init__(self, *, words: dict[str, str], names: dict[str, str], default: str, **kwargs):
        super().__init__(**kwargs)
        self.words = words
        self.names = names
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = normalize_text(value)
        if not text:
            return self.default
        if text not in self.words:
            raise ValueError(
                _("Unknown value “%(value)s”; use one of: %(choices)s.")
                % {"value": text, "choices": "、".join(self.names.values())}
            )
        return self.words[text]

    def render(self, value, obj=None, **kwargs):
        return self.names.get(value, value)


class LookupWidget(widgets.Widget):
    """A foreign key found by a natural key (a name or a credit code) in a dict the resource fills."""

    def __init__(
        self, *, normalize=normalize_text, not_found: str, required: bool = True, **kwargs
    ):
        super().__init__(**kwargs)
        self.normalize = normalize
        self.not_found = not_found
        self.required = required
        self.cache: dict = {}

    def clean(self, value, row=None, **kwargs):
        key = self.normalize(value)
        if not key:
            if not self.required:
                return None
            raise ValueError(_("This column must not be empty."))
        try:
            return self.cache[key]
        except KeyError:
            raise ValueError(self.not_found % {"value": key}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class PersonByIdWidget(LookupWidget):
    """The person of an ID number, checked for a valid ID first."""

    def clean(self, value, row=None, **kwargs):
        id_number = CodeWidget(validator=id_number_validate).clean(value)
        return super().clean(id_number)


def person_columns() -> tuple[fields.Field, fields.Field]:
    """The 姓名 and 身份证号 columns of a sheet of registered people: the name as typed (a resource
    compares it with the registry's) and the person of the ID number.

        name, person = person_columns()
    """
    name = fields.Field(
        attribute="import_name", column_name="姓名", widget=TextWidget(required=True, max_length=50)
    )
    person = fields.Field(
        attribute="person",
        column_name="身份证号",
        widget=PersonByIdWidget(
            normalize=normalize_code,
            not_found=gettext_lazy("No person with ID number “%(value)s” is registered."),
        ),
    )
    return name, person

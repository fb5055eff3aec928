"""Spreadsheets leaving the platform: formula injection neutralised, every export logged.

A cell that starts with = + - @ (or a tab / carriage return) is run as a formula by Excel and WPS
(`=cmd|' /C calc'!A0`, `=HYPERLINK(...)`); such text is prefixed with an apostrophe, the usual
OWASP remedy, so it is shown as typed. Numbers and dates are left alone.
"""

from collections.abc import Iterable
from typing import Any

import tablib

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: Any) -> Any:
    """The value as a spreadsheet should hold it: text that would run as a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def row_safe(values: Iterable[Any]) -> list[Any]:
    return [cell_safe(v) for v in values]


def dataset_safe(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of the dataset with every text cell neutralised (headers included)."""
    safe = tablib.Dataset(headers=row_safe(dataset.headers or []), title=dataset.title)
    for row in dataset:
        safe.append(row_safe(row))
    return safe

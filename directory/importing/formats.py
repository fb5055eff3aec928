"""Reading uploaded tables: XLSX, and CSV in UTF-8, UTF-8 with BOM or GBK (Excel on Chinese Windows)."""

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from directory.identifiers import normalize_text
from directory.importing.safety import UnsafeTable, table_check

SUPPORTED_SUFFIXES = (".xlsx", ".csv")
MAX_COLUMNS = 200


class TableError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


def _detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        # GB18030 is a superset of GBK and GB2312.
        return "gb18030"


def _no_nul(cell):
    # A NUL is never meant in a spreadsheet cell, and PostgreSQL refuses it in any text column.
    return cell.replace("\x00", "") if isinstance(cell, str) else cell


class Table:
    """Header row plus data rows, each with the row number Excel shows (the header is row 1)."""

    def __init__(self, path: str | Path, *, filename: str | None = None):
        self.path = Path(path)
        self.filename = filename or self.path.name
        suffix = Path(self.filename).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise TableError(_("Only .xlsx and .csv files can be imported (save .xls as .xlsx)."))
        self.suffix = suffix
        self._rows: int | None = None

    def check(self) -> int:
        """The safety check (directory.importing.safety), once; the data rows the file declares,
        blank rows included, as the work a reader would do."""
        if self._rows is None:
            try:
                self._rows = max(0, table_check(self.path, filename=self.filename) - 1)
            except UnsafeTable as error:
                raise TableError(str(error)) from error
        return self._rows

    def _raw_rows(self) -> Iterator[tuple]:
        if self.suffix == ".xlsx":
            yield from self._xlsx_rows()
        else:
            yield from self._csv_rows()

    def _xlsx_rows(self) -> Iterator[tuple]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as error:
            raise TableError(_("This file is not a readable .xlsx workbook.")) from error
        try:
            # openpyxl pads every row to the widest column a row or <dimension> names (up to
            # 16,384); no template has near MAX_COLUMNS columns, so wider cells are not read.
            yield from workbook.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)
        finally:
            workbook.close()

    def _csv_rows(self) -> Iterator[tuple]:
        with open(self.path, "rb") as raw:
            encoding = _detect_encoding(raw.read(64 * 1024))
        with open(self.path, encoding=encoding, newline="") as text:
            try:
                yield from csv.reader(text)
            except UnicodeDecodeError as error:
                raise TableError(
                    _("The file's text encoding is not UTF-8 or GBK; save it as CSV UTF-8.")
                ) from error
            except csv.Error as error:
                raise TableError(
                    _("The CSV file is malformed: %(error)s") % {"error": error}
                ) from error

    def read(self) -> tuple[list[str], Iterator[tuple[int, tuple]]]:
        """The normalized headers, and an iterator of (row number, cells) skipping blank rows.

        Nothing is parsed before the file passed the safety check; a cell longer than
        IMPORT_MAX_CELL_CHARS stops the reading with its row and column named."""
        self.check()
        limit = settings.IMPORT_MAX_CELL_CHARS
        rows = self._raw_rows()
        try:
            header = next(rows)
        except StopIteration:
            raise TableError(_("The file is empty.")) from None
        _cells_check(1, header, limit)
        headers = [normalize_text(cell) for cell in header]
        while headers and not headers[-1]:
            headers.pop()
        if not any(headers):
            raise TableError(_("The first row must hold the column headers."))

        def data() -> Iterator[tuple[int, tuple]]:
            width = len(headers)
            for number, cells in enumerate(rows, start=2):
                cells = tuple(_no_nul(cell) for cell in cells[:width])
                _cells_check(number, cells, limit)
                cells += (None,) * (width - len(cells))
                if all(cell is None or str(cell).strip() == "" for cell in cells):
                    continue
                yield number, cells

        return headers, data()


def _cells_check(number: int, cells, limit: int) -> None:
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > limit:
            from openpyxl.utils import get_column_letter

            raise TableError(
                _(
                    "Row %(row)s, column %(column)s holds %(length)s characters; "
                    "a cell may hold at most %(max)s."
                )
                % {
                    "row": number,
                    "column": get_column_letter(index + 1),
                    "length": f"{len(cell):,}",
                    "max": f"{limit:,}",
                }
            )


def csv_bytes(headers: list[str], rows: list[list], *, encoding: str = "utf-8-sig") -> bytes:
    """A CSV file as Excel on a Chinese PC writes it (used for templates and tests)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)

"""The one path every generated file leaves by: spreadsheets (XLSX, CSV), personal PDFs, JSON.

`export_response` takes the viewer, a short kind for the log, the records the file covers (a
queryset of a scoped model) and a builder. It narrows the records through the model's scoping
selector itself (a caller cannot hand it rows the viewer may not see), gives the builder a
`Masking` that answers whole or masked ID / phone numbers per person and remembers whether any
whole number was written, quotes every text cell that a spreadsheet would run as a formula,
writes one export-log entry and answers through `directory.files.file_response` (no-store,
nosniff, disposition, sandboxing CSP). tests/security/test_export_path.py fails for any view
that builds a file response by hand.

Formula injection: a cell that starts with = + - @ (or a tab / carriage return) is run by Excel
and WPS (`=cmd|' /C calc'!A0`, `=HYPERLINK(...)`); such text is prefixed with an apostrophe, the
usual OWASP remedy, so it is shown as typed. Numbers and dates are left alone.
"""

import csv
import datetime
import decimal
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

import tablib
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404
from django.http.response import HttpResponseBase
from django.utils import timezone
from openpyxl import Workbook

from directory.files import XLSX_CONTENT_TYPE, file_response, stored_file_response
from directory.identifiers import id_number_mask, phone_mask
from directory.scoping import SCOPES, visible_to
from directory.selectors import sees_personal_data
from directory.services import export_log

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "xlsx": XLSX_CONTENT_TYPE,
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json",
    "zip": "application/zip",
}
# A file that covers no registry records (an empty import template): scoped by nothing, logged
# by nothing, still sent with the same headers.
NO_RECORDS = object()
# A worker export reports its progress every this many rows.
PROGRESS_ROWS = 1000


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


def _cell(value: Any) -> Any:
    """A value openpyxl and csv accept: lazy text as text, aware datetimes in local time."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    elif value is not None and not isinstance(
        value, str | int | float | decimal.Decimal | datetime.date | datetime.time
    ):
        value = str(value)
    return cell_safe(value)


@dataclass
class Sheet:
    """One worksheet: a title, a header row and data rows (any iterable of sequences)."""

    title: str
    headers: Sequence[Any]
    rows: Iterable[Sequence[Any]]

    @classmethod
    def from_dataset(cls, dataset: tablib.Dataset) -> "Sheet":
        return cls(title=dataset.title or "", headers=dataset.headers or [], rows=list(dataset))


class Masking:
    """Whole or masked numbers per person, as `sees_personal_data` allows this viewer.

    `whole` turns true as soon as one whole number is handed out: the export log's flag.
    """

    def __init__(self, viewer):
        self.viewer = viewer
        self.whole = False

    def sees(self, person) -> bool:
        whole = sees_personal_data(self.viewer, person)
        self.whole |= whole
        return whole

    def id_number(self, person) -> str:
        return person.id_number if self.sees(person) else id_number_mask(person.id_number)

    def phone(self, person) -> str:
        return person.phone if self.sees(person) else phone_mask(person.phone)

    def note(self, whole: bool) -> None:
        """For a builder whose writer masks by itself (import resources): did it write whole?"""
        self.whole |= bool(whole)


def scoped(viewer, records: QuerySet, scope: Callable | None = None) -> QuerySet:
    """The records narrowed by their model's scoping selector (registered in directory.scoping.SCOPES),
    or by `scope(viewer, records)` for a model scoped elsewhere (Wagtail's permission policies)."""
    if scope is not None:
        return scope(viewer, records)
    if not isinstance(records, QuerySet):
        raise ImproperlyConfigured("An export's records must be a queryset of a scoped model.")
    if records.model not in SCOPES:
        raise ImproperlyConfigured(f"{records.model.__name__} has no scoping selector to export.")
    return visible_to(viewer, records.model, records)


def _counted(rows: Iterable[Sequence[Any]], progress: Callable[[int], None] | None):
    """The rows, telling `progress` how many have gone by every PROGRESS_ROWS."""
    for count, row in enumerate(rows, start=1):
        yield row
        if progress is not None and count % PROGRESS_ROWS == 0:
            progress(count)


def xlsx_write(sheets: Sequence[Sheet], out: IO[bytes], progress=None) -> int:
    """A workbook of the sheets written row by row into `out` (openpyxl's write-only mode keeps
    the rows in a temporary file, not in memory), every text cell quoted; returns the first
    sheet's data rows (the records the file covers; later sheets sum them up)."""
    workbook = Workbook(write_only=True)
    count = 0
    for index, sheet in enumerate(sheets):
        # Titles are capped at 31 characters and must be unique in a workbook.
        title = str(sheet.title or f"Sheet{index + 1}")[:31]
        ws = workbook.create_sheet(title=title)
        ws.append([_cell(h) for h in sheet.headers])
        rows = _counted(sheet.rows, progress) if index == 0 else sheet.rows
        for row in rows:
            ws.append([_cell(v) for v in row])
            count += index == 0
    workbook.save(out)
    return count


def xlsx_bytes(sheets: Sequence[Sheet]) -> tuple[bytes, int]:
    """The workbook of `xlsx_write` as bytes, and its first sheet's data rows."""
    buffer = io.BytesIO()
    count = xlsx_write(sheets, buffer)
    return buffer.getvalue(), count


def csv_write(sheet: Sheet, out: IO[bytes], progress=None) -> int:
    """UTF-8 with a byte-order mark, so Excel on Chinese Windows opens it as UTF-8."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([_cell(h) for h in sheet.headers])
    count = 0
    for row in _counted(sheet.rows, progress):
        writer.writerow([_cell(v) for v in row])
        count += 1
    text.flush()
    text.detach()  # `out` stays open for the caller
    return count


def csv_bytes(sheet: Sheet) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    count = csv_write(sheet, buffer)
    return buffer.getvalue(), count


@dataclass
class Built:
    """What a builder that writes its own bytes hands back (a PDF; a workbook whose records are
    not its first sheet's rows): the bytes and how many records they hold."""

    content: bytes
    rows: int


def export_response(
    viewer,
    *,
    kind: str,
    records: QuerySet | object,
    build: Callable[[QuerySet, Masking], Any],
    filename: str,
    fmt: str,
    query: str | None = None,
    single: bool = False,
    inline: bool | None = None,
    scope: Callable | None = None,
) -> HttpResponseBase:
    """Build, log and send one generated file.

    `viewer`: the request (its user and query string are used) or a user.
    `records`: a queryset of the scoped model the file covers; narrowed here to the viewer's
    scope and given to `build(records, masking)`, or NO_RECORDS for a file of no one's data.
    `single`: the file is about one record (一人一档, a sign-in sheet): none visible is a 404.
    `scope`: only for records no selector in directory.scoping.SCOPES narrows (see `scoped`).
    `build` returns Sheets (xlsx: all, csv: the first), PDF bytes, (json) a dict, or `Built`.
    """
    request = viewer if hasattr(viewer, "user") else None
    user = request.user if request is not None else viewer
    if query is None:
        query = request.GET.urlencode() if request is not None else ""
    if fmt not in CONTENT_TYPES:
        raise ImproperlyConfigured(f"Unknown export format {fmt!r}.")
    logged = records is not NO_RECORDS
    if logged:
        records = scoped(user, records, scope)
        if single and not records.exists():
            raise Http404
    masking = Masking(user)
    built = build(records if logged else None, masking)
    if isinstance(built, Built):  # a builder that wrote the bytes itself (and counted its rows)
        content, rows = built.content, built.rows
    elif fmt in ("xlsx", "csv"):
        sheets = [built] if isinstance(built, Sheet) else list(built)
        content, rows = xlsx_bytes(sheets) if fmt == "xlsx" else csv_bytes(sheets[0])
    elif fmt == "json":
        content = json.dumps(built, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()
        rows = built.get("rows", 1) if isinstance(built, dict) else 1
    else:
        content, rows = built, records.count() if logged else 0
    if logged:
        export_log(user=user, kind=kind, rows=rows, personal_data=masking.whole, query=query)
    return file_response(content, filename=filename, content_type=CONTENT_TYPES[fmt], inline=inline)


def export_file(
    user,
    *,
    records: QuerySet,
    build: Callable[[QuerySet, Masking], Any],
    fmt: str,
    out: IO[bytes],
    scope: Callable | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, bool]:
    """Write a list export into `out` for a worker (directory.export_jobs): the records narrowed
    to `user`'s scope, masked and quoted exactly as `export_response` does, the rows streamed
    as `build` yields them (`progress(rows)` told as they go). Returns the rows written and
    whether any whole ID / phone number was; the log line is written at download."""
    if fmt not in ("xlsx", "csv"):
        raise ImproperlyConfigured(f"A worker export writes XLSX or CSV, not {fmt!r}.")
    masking = Masking(user)
    built = build(scoped(user, records, scope), masking)
    sheets = [built] if isinstance(built, Sheet) else list(built)
    if fmt == "xlsx":
        rows = xlsx_write(sheets, out, progress)
    else:
        rows = csv_write(sheets[0], out, progress)
    return rows, masking.whole


def stored_export_response(
    viewer,
    *,
    kind: str,
    records: QuerySet,
    file_of: Callable[[Any], Any],
    rows_of: Callable[[Any], int],
    personal_data_of: Callable[[Any], bool],
    filename: str,
    fmt: str,
    scope: Callable | None = None,
    query: str | None = None,
) -> HttpResponseBase:
    """Send a generated file kept in the private storage (a batch print), scoped and logged like
    every export: `records` (a queryset of a scoped model, the one record the file belongs to)
    is narrowed to the viewer, none visible or no file is a 404; the log counts `rows_of(record)`
    and whether the file holds whole numbers (`personal_data_of(record)`, fixed when it was
    made). The file is streamed or signed by `stored_file_response`, never read into memory.
    `scope`: only for records no selector in directory.scoping.SCOPES narrows (see `scoped`).
    `query`: the filters the file was made with (a worker export's), else the request's."""
    request = viewer if hasattr(viewer, "user") else None
    user = request.user if request is not None else viewer
    if fmt not in CONTENT_TYPES:
        raise ImproperlyConfigured(f"Unknown export format {fmt!r}.")
    record = scoped(user, records, scope).first()
    if record is None or not file_of(record):
        raise Http404
    if query is None:
        query = request.GET.urlencode() if request is not None else ""
    response = stored_file_response(
        file_of(record), content_type=CONTENT_TYPES[fmt], filename=filename, inline=False
    )
    export_log(
        user=user,
        kind=kind,
        rows=rows_of(record),
        personal_data=personal_data_of(record),
        query=query,
    )
    return response


def _wagtail_permission_scope(viewer, records):
    """Wagtail's own listings (site history, page and workflow reports, redirects) built their
    queryset through Wagtail's permission policies, the registry log's readers included."""
    return records


def wagtail_spreadsheet(view, queryset, spreadsheet_format: str) -> HttpResponseBase:
    """`SpreadsheetExportMixin.as_spreadsheet` for every Wagtail listing (set in apps.ready).

    Wagtail writes its reports' XLSX / CSV itself: unlogged, and CSV cells left unquoted. The
    columns and values stay Wagtail's; the file goes through the path above.
    """
    fmt = "csv" if spreadsheet_format == view.FORMAT_CSV else "xlsx"

    def value(field, raw):
        if isinstance(raw, datetime.datetime):
            return raw  # _cell writes it in local time
        return view.preprocess_field_value(field, raw, fmt)

    def build(records, masking):
        headers = [view.get_heading(queryset, field) for field in view.list_export]
        rows = (
            [value(field, raw) for field, raw in view.to_row_dict(item).items()] for item in records
        )
        return Sheet(title="Sheet1", headers=headers, rows=rows)

    return export_response(
        view.request,
        kind=str(getattr(view, "page_title", "") or view.get_filename()),
        records=queryset,
        build=build,
        filename=f"{view.get_filename()}.{fmt}",
        fmt=fmt,
        scope=_wagtail_permission_scope,
    )

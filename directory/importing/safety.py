"""What an uploaded table may cost before anything parses it: the one check every import passes.

An XLSX is a zip of XML parts. openpyxl (even read-only) loads xl/sharedStrings.xml whole into
memory and reads every <row> of a sheet, blank or not, so a 1 MB file can ask for gigabytes or
minutes. The check reads the zip's directory and streams the parts through a fixed-size buffer:
nothing is parsed, and memory stays bounded by the chunk size whatever the file declares.
Python's zipfile never inflates a member past its declared size, so the declared sizes checked
here also bound what openpyxl reads later. The limits are settings (docs/imports.md).
"""

import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
# Parts small enough to parse outright (the workbook's sheet list and its relationships).
SMALL_PART_BYTES = 1024 * 1024
# Below this size a member's compression ratio is harmless, whatever it is.
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_MEMBERS = 1000
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s>/])([^>]*)")
# A row's number: openpyxl yields an empty row for every number skipped, so <row r="1000000">
# alone is a million rows of work.
ROW_NUMBER = re.compile(rb'(?:^|\s)r="(\d+)"')
DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref="[A-Z]*\d*:?[A-Z]*(\d+)"')
# A DTD in a part means entity expansion (the "billion laughs"); Excel never writes one.
SHEET_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData>")
DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class UnsafeTable(ValueError):
    """The file is past a limit; the message names the file and the limit, for the user."""


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    uncompressed_bytes: int
    ratio: int
    shared_strings_bytes: int
    sheet_bytes: int
    row_bytes: int
    rows: int
    cell_chars: int
    csv_line_bytes: int

    @classmethod
    def current(cls) -> "Limits":
        return cls(
            upload_bytes=settings.IMPORT_MAX_UPLOAD_BYTES,
            uncompressed_bytes=settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES,
            ratio=settings.IMPORT_XLSX_MAX_RATIO,
            shared_strings_bytes=settings.IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES,
            sheet_bytes=settings.IMPORT_XLSX_MAX_SHEET_BYTES,
            row_bytes=settings.IMPORT_XLSX_MAX_ROW_BYTES,
            rows=settings.IMPORT_MAX_ROWS,
            cell_chars=settings.IMPORT_MAX_CELL_CHARS,
            csv_line_bytes=settings.IMPORT_CSV_MAX_LINE_BYTES,
        )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size:,} B"


def _refuse(filename: str, reason: str) -> UnsafeTable:
    return UnsafeTable(_("%(file)s was refused: %(reason)s") % {"file": filename, "reason": reason})


def _zip_entries(path: Path) -> int | None:
    """Entries the zip's end record declares, read before zipfile builds one object per entry."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        handle.seek(max(0, size - 65_557))
        tail = handle.read()
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        return None
    return struct.unpack("<H", tail[end + 10 : end + 12])[0]


def _scan(archive: zipfile.ZipFile, name: str, *, rows: bool, filename: str, limits: Limits):
    """Stream one part: refuse a DTD; count <row> elements and measure the longest one.

    Returns (rows counted — or the highest row number when greater —, rows the <dimension>
    declares or None). A chunk is cut at its last
    "<", so a tag is never split between two chunks and the carry stays under one chunk.
    """
    count, declared, longest = 0, None, 0
    offset, last_row, carry = 0, None, b""
    with archive.open(name) as part:
        while chunk := part.read(CHUNK):
            buffer = carry + chunk
            cut = buffer.rfind(b"<")
            head, carry = (buffer, b"") if cut <= 0 else (buffer[:cut], buffer[cut:])
            if DTD.search(buffer):
                raise _refuse(filename, _("it declares XML entities, which are not accepted."))
            if rows:
                if offset == 0 and (match := DIMENSION.search(head)):
                    declared = int(match.group(1))
                end = SHEET_DATA_END.search(head)
                for match in ROW_TAG.finditer(head, 0, end.start() if end else len(head)):
                    start = offset + match.start()
                    if last_row is not None:
                        longest = max(longest, start - last_row)
                    last_row = start
                    count += 1
                    if number := ROW_NUMBER.search(match.group(1)):
                        count = max(count, int(number.group(1)))
                if last_row is not None:
                    # The row still open (or the last one) is at least this long.
                    longest = max(longest, offset + (end.start() if end else len(head)) - last_row)
                if longest > limits.row_bytes:
                    raise _refuse(
                        filename,
                        _("one row holds more than %(size)s of data.")
                        % {"size": _mb(limits.row_bytes)},
                    )
                if end or count > limits.rows + 1:
                    rows = False  # past the rows: only the DTD check goes on
            offset += len(head)
    return count, declared


def _first_sheet(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """The part of the workbook's first sheet (what the importers read)."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, DefusedXmlException):
        return None
    sheet = book.find(f"{NS_MAIN}sheets/{NS_MAIN}sheet")
    if sheet is None:
        return None
    rel_id = sheet.get(f"{NS_REL}id")
    for rel in rels.iter(f"{NS_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = str(PurePosixPath("xl") / target)
            # "xl/../x.xml" and the like: normalised as zip names are.
            parts: list[str] = []
            for piece in part.split("/"):
                if piece == "..":
                    if parts:
                        parts.pop()
                elif piece not in ("", "."):
                    parts.append(piece)
            part = "/".join(parts)
            return part if part in names else None
    return None


def xlsx_check(path: str | Path, *, filename: str, limits: Limits | None = None) -> int:
    """Refuse a workbook past the limits, without parsing it; the first sheet's row count
    (every <row>, blank or not, header included)."""
    limits = limits or Limits.current()
    path = Path(path)
    if path.stat().st_size > limits.upload_bytes:
        raise _refuse(
            filename, _("the file is larger than %(size)s.") % {"size": _mb(limits.upload_bytes)}
        )
    entries = _zip_entries(path)
    if entries is None or not zipfile.is_zipfile(path):
        raise _refuse(filename, _("it is not an .xlsx workbook (not a zip file)."))
    if entries > MAX_MEMBERS:
        raise _refuse(
            filename,
            _("it holds %(count)s parts; at most %(max)s are accepted.")
            % {"count": entries, "max": MAX_MEMBERS},
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise _refuse(filename, _("it is not an .xlsx workbook (not a zip file).")) from error
    with archive:
        members = archive.infolist()
        total = sum(member.file_size for member in members)
        compressed = sum(member.compress_size for member in members)
        if total > limits.uncompressed_bytes:
            raise _refuse(
                filename,
                _("it unpacks to %(size)s; at most %(max)s are accepted.")
                % {"size": _mb(total), "max": _mb(limits.uncompressed_bytes)},
            )
        for member in [*members, None]:
            size, packed = (
                (total, compressed) if member is None else (member.file_size, member.compress_size)
            )
            if size > RATIO_FLOOR_BYTES and size > limits.ratio * max(packed, 1):
                raise _refuse(
                    filename,
                    _("it is compressed more than %(ratio)s to 1, as only a crafted file is.")
                    % {"ratio": limits.ratio},
                )
        names = {member.filename for member in members}
        for member in members:
            name = member.filename
            if name == "xl/sharedStrings.xml" and member.file_size > limits.shared_strings_bytes:
                raise _refuse(
                    filename,
                    _("its shared strings take %(size)s; at most %(max)s are accepted.")
                    % {"size": _mb(member.file_size), "max": _mb(limits.shared_strings_bytes)},
                )
            if name.startswith("xl/worksheets/") and member.file_size > limits.sheet_bytes:
                raise _refuse(
                    filename,
                    _("a sheet takes %(size)s; at most %(max)s are accepted.")
                    % {"size": _mb(member.file_size), "max": _mb(limits.sheet_bytes)},
                )
            if name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels") and (
                member.file_size > SMALL_PART_BYTES
            ):
                raise _refuse(filename, _("it is not a readable .xlsx workbook."))
        # The two small parts that name the first sheet are checked before they are parsed.
        book_parts = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
        for name in book_parts:
            if name in names:
                _scan(archive, name, rows=False, filename=filename, limits=limits)
        sheet = _first_sheet(archive, names)
        if sheet is None:
            raise _refuse(filename, _("it is not a readable .xlsx workbook."))
        counted, declared = _scan(archive, sheet, rows=True, filename=filename, limits=limits)
        for name in sorted(names - {sheet, *book_parts}):
            if name.endswith((".xml", ".rels")):
                _scan(archive, name, rows=False, filename=filename, limits=limits)
    rows = max(counted, declared or 0)
    _rows_check(rows, filename=filename, limits=limits)
    return rows


def _rows_check(rows: int, *, filename: str, limits: Limits) -> None:
    # The header row is not counted against the limit.
    if rows - 1 > limits.rows:
        raise _refuse(
            filename,
            _("it has more than %(max)s rows (blank rows count); split it.")
            % {"max": f"{limits.rows:,}"},
        )


def csv_check(path: str | Path, *, filename: str, limits: Limits | None = None) -> int:
    """Refuse a CSV past the size, line-length or row limits; its line count (header included)."""
    limits = limits or Limits.current()
    path = Path(path)
    if path.stat().st_size > limits.upload_bytes:
        raise _refuse(
            filename, _("the file is larger than %(size)s.") % {"size": _mb(limits.upload_bytes)}
        )
    lines, current = 0, 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            pieces = chunk.split(b"\n")
            for index, piece in enumerate(pieces):
                current += len(piece)
                if current > limits.csv_line_bytes:
                    raise _refuse(
                        filename,
                        _("line %(line)s is longer than %(size)s.")
                        % {"line": f"{lines + 1:,}", "size": _mb(limits.csv_line_bytes)},
                    )
                if index < len(pieces) - 1:
                    lines, current = lines + 1, 0
    lines += 1 if current else 0
    _rows_check(lines, filename=filename, limits=limits)
    return lines


def table_check(path: str | Path, *, filename: str) -> int:
    """The check for either format, by the name's suffix; the rows the file holds."""
    if Path(filename).suffix.lower() == ".xlsx":
        return xlsx_check(path, filename=filename)
    return csv_check(path, filename=filename)

"""Hostile XLSX files built in code from the minimal parts (never committed as binaries).

Shared by tests/security/test_spreadsheet_bombs.py and benchmarks/spreadsheet_bombs.py.
"""

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
CHUNK = 1024 * 1024


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _header_row(headers: list[str]) -> str:
    cells = "".join(
        f'<c r="{_column(i)}1" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
        for i, text in enumerate(headers)
    )
    return f'<row r="1">{cells}</row>'


def _start(path: Path) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    archive.writestr("[Content_Types].xml", CONTENT_TYPES)
    archive.writestr("_rels/.rels", ROOT_RELS)
    archive.writestr("xl/workbook.xml", WORKBOOK)
    archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
    return archive


def huge_shared_string_xlsx(path: Path, headers: list[str], *, megabytes: int = 256) -> Path:
    """One shared string of `megabytes` MB of one character, used by row 2's first cell:
    ~1 MB on disk per GB unpacked."""
    with _start(path) as archive:
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                b'count="1" uniqueCount="1"><si><t>'
            )
            block = b"a" * CHUNK
            for _ in range(megabytes):
                part.write(block)
            part.write(b"</t></si></sst>")
        sheet = (
            f'{SHEET_START}<dimension ref="A1:A2"/><sheetData>{_header_row(headers)}'
            '<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>'
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def blank_rows_xlsx(
    path: Path, headers: list[str], *, rows: int, columns: int = 11, data: list[list] = ()
) -> Path:
    """The header, the `data` rows, then `rows` rows of empty styled cells (what a sheet
    formatted down to row 500,000 holds); no <dimension>, so only counting finds them."""
    with _start(path) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f"{SHEET_START}<sheetData>{_header_row(headers)}".encode())
            for offset, values in enumerate(data):
                number = offset + 2
                cells = "".join(
                    f'<c r="{_column(i)}{number}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
                    for i, v in enumerate(values)
                    if v not in (None, "")
                )
                part.write(f'<row r="{number}">{cells}</row>'.encode())
            first = len(data) + 2
            letters = [_column(i) for i in range(columns)]
            buffer = []
            for number in range(first, first + rows):
                cells = "".join(f'<c r="{letter}{number}" s="1"/>' for letter in letters)
                buffer.append(f'<row r="{number}" spans="1:{columns}">{cells}</row>')
                if len(buffer) == 5000:
                    part.write("".join(buffer).encode())
                    buffer = []
            part.write("".join(buffer).encode())
            part.write(b"</sheetData></worksheet>")
        archive.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
        )
    return path


def raw_sheet_xlsx(path: Path, headers: list[str], rows_xml: str, *, dimension: str = "") -> Path:
    """A workbook whose first sheet is the header row then `rows_xml` as given."""
    with _start(path) as archive:
        dim = f'<dimension ref="{dimension}"/>' if dimension else ""
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f"{SHEET_START}{dim}<sheetData>{_header_row(headers)}{rows_xml}"
            "</sheetData></worksheet>",
        )
        archive.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
        )
    return path

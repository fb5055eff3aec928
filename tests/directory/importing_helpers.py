"""Build real import files (XLSX via openpyxl, CSV in the encodings Excel writes)."""

from pathlib import Path

from openpyxl import Workbook

from directory.importing.formats import csv_bytes

ENTERPRISE_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "地址",
    "所属村居",
    "行业领域",
    "牵头部门",
    "从业人数",
    "消防安全重点单位(是/否)",
    "涉及危险化学品(是/否)",
    "人员密集场所(是/否)",
]
PEOPLE_HEADERS = [
    "姓名",
    "身份证号",
    "手机号",
    "所属企业统一社会信用代码",
    "人员类别",
    "用工形式",
    "岗位",
    "入职日期",
]
# The template's columns: 工种 (a post of the town's table), 离岗日期 and 返岗日期 are optional, so
# files without them, as above, still import.
PEOPLE_TEMPLATE_HEADERS = [*PEOPLE_HEADERS[:7], "工种", PEOPLE_HEADERS[7], "离岗日期", "返岗日期"]


def write_xlsx(path: Path, headers: list[str], rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, headers: list[str], rows: list[list], encoding="utf-8") -> Path:
    path.write_bytes(csv_bytes(headers, rows, encoding=encoding))
    return path

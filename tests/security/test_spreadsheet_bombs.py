"""Hostile spreadsheets are refused before anything parses them, with the file and the limit
named, nothing written, and the web process's memory bounded (measured in a child process)."""

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from directory.constants import AccountRole
from directory.importing.formats import Table, TableError
from directory.models import ImportJob, Person
from tests.directory.importing_helpers import PEOPLE_HEADERS, write_csv, write_xlsx
from tests.factories import id_number_make
from tests.security.spreadsheet_files import (
    blank_rows_xlsx,
    huge_shared_string_xlsx,
    raw_sheet_xlsx,
)

ROOT = Path(__file__).resolve().parents[2]
MEMORY_GOAL_MB = 300
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    """The two files of the report: one huge shared string, and 300,000 blank rows (~9 MB)."""
    folder = tmp_path_factory.mktemp("bombs")
    return {
        "string": huge_shared_string_xlsx(
            folder / "一个字符串.xlsx", PEOPLE_HEADERS, megabytes=256
        ),
        "blank": blank_rows_xlsx(folder / "空行.xlsx", PEOPLE_HEADERS, rows=300_000),
    }


def upload(client, path: Path):
    data = {"kind": "people", "file": SimpleUploadedFile(path.name, path.read_bytes())}
    return client.post(reverse("directory_imports:index"), data)


def people_rows(town, n):
    code = town["ent_a"].credit_code
    return [[f"员工{i}", id_number_make(700 + i), "", code, "", "", "", ""] for i in range(n)]


def test_bomb_files_are_what_the_report_describes(bombs):
    assert bombs["string"].stat().st_size < 1024 * 1024
    assert 8 * 1024 * 1024 < bombs["blank"].stat().st_size < 11 * 1024 * 1024


def test_both_bombs_are_refused_in_a_child_process_under_the_memory_goal(bombs):
    """The check in a fresh process: its peak resident memory, Django included, stays under
    the goal (the report's file took a web process to 3.5 GB)."""
    script = (
        "import json, os, sys, django;"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.test';"
        "django.setup();"
        "from django.utils import translation; translation.activate('zh-hans');"
        "from directory.importing.formats import Table, TableError\n"
        "try:\n"
        "    headers, rows = Table(sys.argv[1]).read(); list(rows); message = ''\n"
        "except TableError as error:\n"
        "    message = str(error)\n"
        # VmHWM is this process's own peak: ru_maxrss would carry over the peak of the
        # parent (pytest) that spawned it.
        "status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "peak = int(status.split()[0]) / 1024\n"
        "print(json.dumps({'message': message, 'peak_mb': peak}))"
    )
    for path, limit in ((bombs["string"], "150 MB"), (bombs["blank"], "120,000")):
        out = subprocess.run(
            [sys.executable, "-c", script, str(path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
        assert out.returncode == 0, out.stderr[-2000:]
        result = json.loads(out.stdout.strip().splitlines()[-1])
        assert path.name in result["message"] and "被拒绝" in result["message"]
        assert limit in result["message"]
        assert result["peak_mb"] < MEMORY_GOAL_MB, result


def test_huge_shared_string_upload_is_refused_and_nothing_written(
    client, accounts, town, bombs, django_capture_on_commit_callbacks
):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    before = Person.objects.count()
    tracemalloc.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(client, bombs["string"])
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 302
    # The upload itself is ~1 MB; unpacking the string would take 256 MB or more.
    assert peak < 64 * 1024 * 1024
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    page = client.get(reverse("directory_imports:job", args=[job.pk])).content.decode()
    assert "一个字符串.xlsx" in page and "解压后为 256 MB，最多接受 150 MB" in page
    assert Person.objects.count() == before


def test_blank_rows_bomb_upload_is_refused_with_the_row_limit(
    client, accounts, town, bombs, django_capture_on_commit_callbacks
):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    before = Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, bombs["blank"])
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    page = client.get(reverse("directory_imports:job", args=[job.pk])).content.decode()
    assert "空行.xlsx" in page and "超过 120,000 行（空行也计入）" in page
    assert Person.objects.count() == before


def test_blank_rows_count_toward_the_work_so_the_file_goes_to_the_worker(
    client, accounts, town, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_ASYNC_THRESHOLD = 2000
    path = blank_rows_xlsx(
        tmp_path / "people.xlsx", PEOPLE_HEADERS, rows=3000, data=people_rows(town, 2)
    )
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload(client, path)
    job = ImportJob.objects.get()
    # Two people, 3,000 blank rows: the check's work is 3,002 rows, past the threshold.
    assert job.rows_total == 3002
    assert job.status == ImportJob.Status.PENDING
    [queued] = callbacks
    # What was queued is the Celery task (delay_on_commit), not the inline check.
    assert queued.func.__self__.name == "directory.tasks.import_job_run"
    queued()  # the (eager) worker checks it: two people to create, nothing written yet
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and job.report["counts"]["new"] == 2
    assert job.rows_done == 3002


def test_a_cell_past_the_length_limit_is_refused_naming_row_and_column(
    client, accounts, town, tmp_path, django_capture_on_commit_callbacks
):
    rows = people_rows(town, 3)
    rows[1][6] = "岗" * 2500
    path = write_xlsx(tmp_path / "长单元格.xlsx", PEOPLE_HEADERS, rows)
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    before = Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, path)
    job = ImportJob.objects.get()
    page = client.get(reverse("directory_imports:job", args=[job.pk])).content.decode()
    assert "第 3 行 G 列有 2,500 个字符，单元格最多 2,000 个字符" in page
    assert reverse("directory_imports:confirm", args=[job.pk]) not in page
    assert Person.objects.count() == before


def test_command_line_import_refuses_the_bomb_and_writes_nothing(bombs, town):
    before = Person.objects.count()
    with pytest.raises(CommandError):
        call_command("import_data", "people", str(bombs["blank"]))
    assert Person.objects.count() == before


def test_not_a_zip_and_entity_declarations_are_refused(tmp_path):
    fake = tmp_path / "伪装.xlsx"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    with pytest.raises(TableError, match="伪装.xlsx.*不是 .xlsx 工作簿（不是 zip 文件）"):
        Table(fake).read()

    laughs = write_xlsx(tmp_path / "实体.xlsx", ["姓名"], [["x"]])
    import zipfile

    entity = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;</x>'
    with zipfile.ZipFile(laughs, "a") as archive:
        archive.writestr("docProps/custom.xml", entity)
    with pytest.raises(TableError, match="实体.xlsx.*声明了 XML 实体"):
        Table(laughs).read()


def test_highly_compressed_part_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 1_000_000
    # 200,000 identical blank rows compress far past 100:1.
    path = tmp_path / "压缩.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["姓名"])
    workbook.save(path)
    import zipfile

    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.xml", b"<x>" + b" " * (20 * 1024 * 1024) + b"</x>")
    with pytest.raises(TableError, match="压缩比超过 100:1"):
        Table(path).read()


def test_csv_long_lines_and_row_limit(tmp_path, settings):
    long_line = write_csv(tmp_path / "长行.csv", ["姓名", "岗位"], [["张三", "岗" * 200_000]])
    with pytest.raises(TableError, match="长行.csv.*第 2 行长度超过"):
        Table(long_line).read()

    settings.IMPORT_MAX_ROWS = 10
    many = write_csv(tmp_path / "多行.csv", ["姓名"], [[""]] * 11)
    with pytest.raises(TableError, match="超过 10 行"):
        Table(many).read()
    assert Table(write_csv(tmp_path / "ok.csv", ["姓名"], [[""]] * 10)).check() == 10


def test_an_ordinary_people_file_still_imports(tmp_path, town):
    path = write_xlsx(tmp_path / "people.xlsx", PEOPLE_HEADERS, people_rows(town, 3))
    before = Person.objects.count()
    call_command("import_data", "people", str(path))
    assert Person.objects.count() == before + 3


def test_skipped_row_numbers_and_a_declared_dimension_count_as_rows(tmp_path):
    # openpyxl yields an empty row for each number skipped: one <row r="1000000"> is a million.
    far = raw_sheet_xlsx(
        tmp_path / "跳行.xlsx",
        ["姓名"],
        '<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>',
    )
    with pytest.raises(TableError, match="跳行.xlsx.*超过 120,000 行"):
        Table(far).read()
    declared = raw_sheet_xlsx(tmp_path / "声明.xlsx", ["姓名"], "", dimension="A1:A500000")
    with pytest.raises(TableError, match="超过 120,000 行"):
        Table(declared).read()


def test_a_cell_in_the_last_column_does_not_widen_every_row(tmp_path):
    """A sheet naming column XFD (16,384) is read only as wide as the templates can be."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>张{n}</t></is></c>'
        f'<c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(2, 5)
    )
    path = raw_sheet_xlsx(tmp_path / "宽.xlsx", ["姓名"], rows, dimension="A1:XFD4")
    headers, data = Table(path).read()
    assert headers == ["姓名"]
    assert [cells for _number, cells in data] == [("张2",), ("张3",), ("张4",)]

"""Registry imports through the service: formats, per-row report, all-or-nothing, re-import."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from directory.constants import AccountRole, EmploymentType
from directory.importing.services import import_file
from directory.models import Enterprise, Person
from tests.directory.importing_helpers import (
    ENTERPRISE_HEADERS,
    PEOPLE_HEADERS,
    PEOPLE_TEMPLATE_HEADERS,
    write_csv,
    write_xlsx,
)
from tests.factories import credit_code_make, id_number_make

pytestmark = pytest.mark.django_db


def enterprise_rows():
    return [
        [
            "丙机械有限公司",
            credit_code_make(101),
            "徐泾镇高泾路1号",
            "徐泾村",
            "机械制造",
            "经发办",
            "35",
            "是",
            "否",
            "否",
        ],
        [
            "丁餐饮有限公司",
            credit_code_make(102),
            "徐泾镇明珠路2号",
            "金云村",
            "机械制造",
            "规建办",
            "12人",
            "否",
            "否",
            "是",
        ],
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_enterprise_csv_in_each_encoding_checks_then_imports_then_changes_nothing(
    town, tmp_path, encoding
):
    path = write_csv(tmp_path / "e.csv", ENTERPRISE_HEADERS, enterprise_rows(), encoding)
    before = Enterprise.objects.count()

    dry = import_file(kind="enterprises", path=path, dry_run=True)
    assert dry.ok, dry.lines()
    assert dry.counts["new"] == 2
    assert dry.runs == [[2, 3, "new"]]
    assert Enterprise.objects.count() == before

    done = import_file(kind="enterprises", path=path, dry_run=False)
    assert done.written
    ent = Enterprise.objects.get(credit_code=credit_code_make(101))
    assert ent.name == "丙机械有限公司"
    assert ent.village == town["village_a"]
    assert ent.lead_department == town["dept_a"]
    assert ent.headcount == 35 and ent.is_fire_key_unit and not ent.handles_hazardous_chemicals
    assert Enterprise.objects.get(credit_code=credit_code_make(102)).headcount == 12
    stamp = ent.updated_at

    again = import_file(kind="enterprises", path=path, dry_run=False)
    assert again.counts == {"new": 0, "update": 0, "skip": 2, "invalid": 0, "error": 0}
    ent.refresh_from_db()
    assert ent.updated_at == stamp


def test_people_xlsx_reads_date_cells_text_dates_numbers_and_full_width(town, tmp_path):
    code = town["ent_a"].credit_code
    rows = [
        [
            "赵六",
            id_number_make(501),
            13800000001,
            code,
            "主要负责人、安全管理人员",
            "正式",
            "总经理",
            datetime.datetime(2019, 8, 6),
        ],
        [
            " 钱七 ",
            id_number_make(502),
            "139 0000 0002",
            code,
            "特种作业人员",
            "劳务派遣",
            "电工",
            "2019/8/6",
        ],
        [
            "孙八",
            id_number_make(503).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
            "",
            code,
            "",
            "",
            "",
            "2020年1月2日",
        ],
        ["李九", id_number_make(504), "", code, "一般从业人员", "灵活用工", "", "2021-03-04"],
    ]
    path = write_xlsx(tmp_path / "p.xlsx", PEOPLE_HEADERS, rows)

    report = import_file(kind="people", path=path, dry_run=False)

    assert report.written, report.lines()
    zhao = Person.objects.get(id_number=id_number_make(501))
    assert zhao.is_principal and zhao.is_safety_manager and not zhao.is_general_worker
    assert zhao.phone == "13800000001"
    assert zhao.hire_date == datetime.date(2019, 8, 6)
    assert zhao.birth_date is not None and zhao.sex in ("M", "F")
    qian = Person.objects.get(id_number=id_number_make(502))
    assert qian.name == "钱七" and qian.phone == "13900000002"
    assert qian.employment_type == EmploymentType.DISPATCHED and qian.is_special_operator
    assert qian.hire_date == datetime.date(2019, 8, 6)
    sun = Person.objects.get(id_number=id_number_make(503))
    assert sun.is_general_worker and sun.hire_date == datetime.date(2020, 1, 2)
    assert Person.objects.get(id_number=id_number_make(504)).employment_type == "flexible"


def test_bad_rows_are_named_with_excel_row_numbers_and_nothing_is_written(town, tmp_path):
    code = town["ent_a"].credit_code
    bad_id = id_number_make(601)[:-1] + ("0" if id_number_make(601)[-1] != "0" else "1")
    rows = [
        ["好人", id_number_make(600), "", code, "", "", "", ""],  # row 2: fine
        ["坏校验", bad_id, "", code, "", "", "", ""],  # row 3
        ["无企业", id_number_make(602), "", credit_code_make(9999), "", "", "", ""],  # row 4
        [None, None, None, None, None, None, None, None],  # row 5: blank, skipped
        ["重复", id_number_make(600), "", code, "", "", "", ""],  # row 6
        ["坏日期", id_number_make(603), "", code, "", "", "", "2019-13-45"],  # row 7
        ["坏类别", id_number_make(604), "12345", code, "老板", "临时工", "", ""],  # row 8
    ]
    path = write_xlsx(tmp_path / "p.xlsx", PEOPLE_HEADERS, rows)
    before = Person.objects.count()

    report = import_file(kind="people", path=path, dry_run=False)

    assert not report.written
    assert Person.objects.count() == before
    errors = {row.row: " ".join(row.errors) for row in report.error_rows}
    assert set(errors) == {3, 4, 6, 7, 8}
    assert "身份证号" in errors[3]
    assert "所属企业统一社会信用代码" in errors[4]
    assert "6" not in errors[6] and "2" in errors[6]  # points back at row 2
    assert "入职日期" in errors[7]
    assert "人员类别" in errors[8] and "用工形式" in errors[8] and "手机号" in errors[8]
    assert report.counts["new"] == 1  # row 2 would have been created
    assert report.runs == [[2, 2, "new"]]


def test_an_id_number_stored_as_an_excel_number_is_rejected_with_the_reason(town, tmp_path):
    number = int("310118196001015044")
    path = write_xlsx(
        tmp_path / "p.xlsx", PEOPLE_HEADERS, [["某人", number, "", town["ent_a"].credit_code]]
    )
    report = import_file(kind="people", path=path, dry_run=True)
    assert len(report.error_rows) == 1
    assert "Excel" in report.error_rows[0].errors[0]


def test_messages_are_chinese_by_default(town, tmp_path):
    from django.utils import translation

    path = write_xlsx(
        tmp_path / "p.xlsx", PEOPLE_HEADERS, [["某人", "123", "", town["ent_a"].credit_code]]
    )
    with translation.override("zh-hans"):
        report = import_file(kind="people", path=path, dry_run=True)
    message = report.error_rows[0].errors[0]
    assert message.startswith("身份证号：")
    assert "ID number" not in message


def test_missing_columns_and_unreadable_files_are_file_errors(town, tmp_path):
    path = write_csv(tmp_path / "p.csv", ["姓名", "手机号"], [["某人", "13800000000"]])
    report = import_file(kind="people", path=path, dry_run=True)
    assert not report.ok and "身份证号" in report.file_errors[0]

    junk = tmp_path / "p.xlsx"
    junk.write_bytes(b"not a workbook")
    assert import_file(kind="people", path=junk, dry_run=True).file_errors

    old = tmp_path / "p.xls"
    old.write_bytes(b"x")
    assert import_file(kind="people", path=old, dry_run=True).file_errors


def test_reimport_with_a_changed_cell_updates_only_that_row(town, tmp_path):
    code = town["ent_a"].credit_code
    rows = [
        ["甲", id_number_make(701), "13800000701", code, "", "正式", "", "2020-01-01"],
        ["乙", id_number_make(702), "13800000702", code, "", "正式", "", "2020-01-01"],
    ]
    import_file(
        kind="people", path=write_xlsx(tmp_path / "a.xlsx", PEOPLE_HEADERS, rows), dry_run=False
    )
    rows[1][2] = "13900000702"
    report = import_file(
        kind="people", path=write_xlsx(tmp_path / "b.xlsx", PEOPLE_HEADERS, rows), dry_run=False
    )
    assert report.counts["update"] == 1 and report.counts["skip"] == 1
    assert report.runs == [[2, 2, "skip"], [3, 3, "update"]]
    assert Person.objects.get(id_number=id_number_make(702)).phone == "13900000702"


def test_uploader_scope_rejects_rows_outside_it(town, accounts, tmp_path):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]  # manages ent_a
    rows = [
        ["本企业", id_number_make(801), "", town["ent_a"].credit_code, "", "", "", ""],
        ["他企业", id_number_make(802), "", town["ent_b"].credit_code, "", "", "", ""],
        [
            town["person_b"].name,
            town["person_b"].id_number,
            "",
            town["ent_a"].credit_code,
            "",
            "",
            "",
            "",
        ],
    ]
    path = write_xlsx(tmp_path / "p.xlsx", PEOPLE_HEADERS, rows)
    report = import_file(kind="people", path=path, viewer=manager, dry_run=False)
    assert {row.row for row in report.error_rows} == {3, 4}
    assert not Person.objects.filter(id_number=id_number_make(801)).exists()

    officer = accounts[AccountRole.DEPARTMENT_OFFICER]  # 经发办
    path = write_csv(tmp_path / "e.csv", ENTERPRISE_HEADERS, enterprise_rows())
    report = import_file(kind="enterprises", path=path, viewer=officer, dry_run=True)
    assert [row.row for row in report.error_rows] == [3]  # the 规建办 enterprise

    village = accounts[AccountRole.VILLAGE_OFFICER]
    report = import_file(kind="enterprises", path=path, viewer=village, dry_run=True)
    assert len(report.error_rows) == 2


def test_import_data_command(town, tmp_path, capsys):
    path = write_csv(tmp_path / "e.csv", ENTERPRISE_HEADERS, enterprise_rows())
    call_command("import_data", "enterprises", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "2–3" in out and "新增" in out
    assert not Enterprise.objects.filter(credit_code=credit_code_make(101)).exists()

    call_command("import_data", "enterprises", str(path))
    assert Enterprise.objects.filter(credit_code=credit_code_make(101)).exists()

    bad = write_csv(
        tmp_path / "bad.csv",
        ENTERPRISE_HEADERS,
        [["坏", "123", "", "无此村", "机械制造", "经发办"]],
    )
    with pytest.raises(CommandError):
        call_command("import_data", "enterprises", str(bad))
    assert "无此村" in capsys.readouterr().out


def test_the_post_column_names_a_post_of_the_table(town, tmp_path):
    """工种 is matched by name against the town's post table (it decides which certificates the
    person needs, 持证上岗); an unknown name is refused with the row and a Chinese reason, and
    nothing is written."""
    from directory.models import Post

    code = town["ent_a"].credit_code
    headers = PEOPLE_TEMPLATE_HEADERS
    rows = [
        ["焊工甲", id_number_make(700), "", code, "特种作业人员", "", "焊工", "焊工", ""],
        ["电焊乙", id_number_make(701), "", code, "特种作业人员", "", "电焊", "电焊工", ""],
    ]
    path = write_xlsx(tmp_path / "p.xlsx", headers, rows)
    report = import_file(kind="people", path=path, dry_run=False)
    assert not report.written
    errors = {row.row: " ".join(row.errors) for row in report.error_rows}
    assert set(errors) == {3}
    assert "工种" in errors[3] and "电焊工" in errors[3]

    path = write_xlsx(tmp_path / "q.xlsx", headers, rows[:1])
    report = import_file(kind="people", path=path, dry_run=False)
    assert report.written
    assert Person.objects.get(name="焊工甲").work_post == Post.objects.get(name="焊工")


def test_a_change_of_post_in_an_import_dates_the_new_post(town, tmp_path, time_machine):
    """《生产经营单位安全培训规定》第十七条: a transfer to another post makes workshop and team
    training due again from the day of the move; the import dates it."""
    from directory.models import Post

    time_machine.move_to(datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.UTC))
    code = town["ent_a"].credit_code
    row = [
        "调岗甲",
        id_number_make(710),
        "",
        code,
        "特种作业人员",
        "",
        "焊工",
        "焊工",
        "2020-01-01",
    ]
    path = write_xlsx(tmp_path / "a.xlsx", PEOPLE_TEMPLATE_HEADERS, [row])
    import_file(kind="people", path=path, dry_run=False)
    person = Person.objects.get(name="调岗甲")
    assert person.post_since is None
    row[6] = row[7] = "电工"
    report = import_file(
        kind="people",
        path=write_xlsx(tmp_path / "b.xlsx", PEOPLE_TEMPLATE_HEADERS, [row]),
        dry_run=False,
    )
    assert report.written
    person.refresh_from_db()
    assert person.work_post == Post.objects.get(name="电工")
    assert person.post_since == datetime.date(2026, 11, 28)

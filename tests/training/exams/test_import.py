"""Importing a question bank from the Chinese template: every type, answers as letters or 对/错,
a Chinese reason per bad row in the dry run, all-or-nothing, re-import idempotent, export round trip."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from directory.constants import AccountRole
from directory.importing.resources import resource_for
from directory.importing.services import import_file
from tests.directory.importing_helpers import write_csv, write_xlsx
from tests.factories.exams import QuestionBankFactory
from training.models import Question, QuestionBank, QuestionCategory, QuestionType

HEADERS = [
    "题型",
    "题干",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "选项E",
    "选项F",
    "答案",
    "解析",
    "分类",
    "难度",
]


def row(qtype, stem, options, answer, explanation="", category="", difficulty=""):
    cells = [*options, *[""] * (6 - len(options))]
    return [qtype, stem, *cells, answer, explanation, category, difficulty]


GOOD = [
    row(
        "单选",
        "安全生产法规定生产经营单位主要负责人对本单位安全生产工作负什么责任？",
        ["全面", "部分", "次要", "间接"],
        "A",
        "《安全生产法》第五条",
        "法律法规",
        "易",
    ),
    row(
        "多选",
        "发生火灾时正确的做法有哪些？",
        ["拨打119", "乘电梯逃生", "用湿毛巾捂住口鼻", "低姿前行"],
        "A C D",
        "",
        "消防安全",
        "中",
    ),
    row("判断", "特种作业人员必须持证上岗。", [], "正确", "", "法律法规", "难"),
    row("判断题", "安全帽可以不系下颏带。", [], "错", "", "", ""),
]


@pytest.fixture
def bank_file(tmp_path):
    return write_xlsx(tmp_path / "bank.xlsx", HEADERS, GOOD)


def test_import_every_type_with_categories_and_answers(db, bank_file):
    report = import_file(
        kind="questions", path=bank_file, dry_run=False, options={"bank": "通用题库"}
    )
    assert report.ok, report.lines()
    bank = QuestionBank.objects.get(name="通用题库")
    assert bank.owner_department is None
    questions = {q.stem[:4]: q for q in Question.objects.filter(bank=bank)}
    assert questions["安全生产"].answer == "A"
    assert questions["安全生产"].options == ["全面", "部分", "次要", "间接"]
    assert questions["发生火灾"].answer == "ACD"
    assert questions["发生火灾"].qtype == QuestionType.MULTIPLE
    assert questions["特种作业"].answer == "A" and questions["特种作业"].options == ["对", "错"]
    assert questions["安全帽可"].answer == "B"
    assert questions["特种作业"].difficulty == 3
    assert set(QuestionCategory.objects.filter(bank=bank).values_list("name", flat=True)) == {
        "法律法规",
        "消防安全",
    }
    again = import_file(
        kind="questions", path=bank_file, dry_run=False, options={"bank": "通用题库"}
    )
    assert again.ok and again.counts["skip"] == 4
    assert Question.objects.count() == 4


def test_dry_run_names_each_bad_row_and_writes_nothing(db, tmp_path):
    bad = [
        *GOOD,
        row("单选", "单选却有两个答案？", ["甲", "乙", "丙"], "AB"),
        row("多选", "答案不在选项中？", ["甲", "乙"], "AD"),
        row("单选", "", ["甲", "乙"], "A"),
        row("单选", GOOD[0][1], ["全面", "部分"], "A"),
        row("判断", "判断题答案写成字母X？", [], "X"),
        row("问答", "不支持的题型？", [], "A"),
    ]
    path = write_csv(tmp_path / "bank.csv", HEADERS, bad)
    report = import_file(kind="questions", path=path, dry_run=True, options={"bank": "通用题库"})
    assert not report.ok
    reasons = {outcome.row: "；".join(outcome.errors) for outcome in report.error_rows}
    assert set(reasons) == {6, 7, 8, 9, 10, 11}
    assert "单选题只能有一个答案" in reasons[6]
    assert "答案中有未给出的选项" in reasons[7]
    assert "不能为空" in reasons[8]
    assert "与本文件第 2 行" in reasons[9]
    assert "判断题的答案须为“对”或“错”" in reasons[10]
    assert "问答" in reasons[11]
    assert not Question.objects.exists()
    assert not QuestionBank.objects.exists()
    written = import_file(kind="questions", path=path, dry_run=False, options={"bank": "通用题库"})
    assert not written.written and not Question.objects.exists()


def test_command_requires_bank_and_imports(db, bank_file, capsys):
    with pytest.raises(CommandError):
        call_command("import_data", "questions", str(bank_file))
    call_command("import_data", "questions", str(bank_file), "--bank", "消防题库")
    assert Question.objects.filter(bank__name="消防题库").count() == 4


def test_department_officer_imports_into_own_bank_only(accounts, town, bank_file):
    officer = accounts[AccountRole.DEPARTMENT_OFFICER]
    report = import_file(
        kind="questions",
        path=bank_file,
        viewer=officer,
        dry_run=False,
        options={"bank": "经发办题库"},
    )
    assert report.ok, report.lines()
    assert QuestionBank.objects.get(name="经发办题库").owner_department == town["dept_a"]
    QuestionBankFactory(name="镇题库", single=0)
    denied = import_file(
        kind="questions", path=bank_file, viewer=officer, dry_run=False, options={"bank": "镇题库"}
    )
    assert not denied.ok
    assert "无权修改" in denied.error_rows[0].errors[0]
    learner = accounts[AccountRole.LEARNER]
    refused = import_file(
        kind="questions",
        path=bank_file,
        viewer=learner,
        dry_run=True,
        options={"bank": "经发办题库"},
    )
    assert not refused.ok


def test_export_round_trips_and_is_formula_safe(db, bank_file, tmp_path):
    import_file(kind="questions", path=bank_file, dry_run=False, options={"bank": "通用题库"})
    Question.objects.filter(answer="A", qtype=QuestionType.SINGLE).update(
        explanation='=HYPERLINK("http://x")'
    )
    from directory.exports import dataset_safe

    dataset = dataset_safe(resource_for("questions").export(queryset=Question.objects.all()))
    assert dataset.headers == HEADERS
    rows = {r[1][:4]: r for r in dataset.dict} if False else {r[1][:4]: r for r in dataset}
    assert rows["发生火灾"][8] == "ACD"
    assert rows["特种作业"][8] == "对" and rows["特种作业"][2] == ""
    assert rows["安全生产"][9].startswith("'=")
    path = tmp_path / "out.xlsx"
    path.write_bytes(dataset.export("xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active
    assert [c.value for c in sheet[1]] == HEADERS
    Question.objects.all().delete()
    report = import_file(kind="questions", path=path, dry_run=False, options={"bank": "通用题库"})
    assert report.ok, report.lines()
    assert Question.objects.count() == 4

"""Import and export of question banks (`import_data questions <file> --bank <name>`).

Template columns: 题型, 题干, 选项A … 选项F, 答案, 解析, 分类, 难度 — the layout Chinese banks are
kept in. 答案 is the letters of the right options (B, ACD) or 对 / 错 (正确 / 错误) for 判断. A
question is known by (题型, 题干) within its bank: the same stem twice in a file is rejected,
a stem already in the bank is updated. Unknown 分类 names become new knowledge points of the bank.
Runs through the registry's import machinery: dry run, per-row Chinese reasons, all-or-nothing.
"""

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields
from import_export.instance_loaders import BaseInstanceLoader
from import_export.widgets import Widget

from directory.constants import AccountRole
from directory.identifiers import normalize_text
from directory.importing.base import RegistryResource
from directory.importing.widgets import TextWidget, WordWidget
from directory.selectors import account_role
from training.exams.models.banks import (
    LETTERS,
    TRUE_FALSE_OPTIONS,
    Difficulty,
    Question,
    QuestionBank,
    QuestionCategory,
    QuestionType,
    question_problem,
)
from training.exams.selectors.scoping import banks_editable_by

TYPE_WORDS = {
    "单选": QuestionType.SINGLE,
    "单选题": QuestionType.SINGLE,
    "单项选择题": QuestionType.SINGLE,
    "多选": QuestionType.MULTIPLE,
    "多选题": QuestionType.MULTIPLE,
    "多项选择题": QuestionType.MULTIPLE,
    "判断": QuestionType.TRUE_FALSE,
    "判断题": QuestionType.TRUE_FALSE,
}
TYPE_NAMES = {
    QuestionType.SINGLE: "单选",
    QuestionType.MULTIPLE: "多选",
    QuestionType.TRUE_FALSE: "判断",
}
DIFFICULTY_WORDS = {
    **dict.fromkeys(["易", "简单", "容易", "1", "1.0"], Difficulty.EASY),
    **dict.fromkeys(["中", "中等", "一般", "2", "2.0"], Difficulty.MEDIUM),
    **dict.fromkeys(["难", "困难", "较难", "3", "3.0"], Difficulty.HARD),
}
DIFFICULTY_NAMES = {Difficulty.EASY: "易", Difficulty.MEDIUM: "中", Difficulty.HARD: "难"}
TRUE_WORDS = {"对", "正确", "√", "是", "T", "TRUE"}
FALSE_WORDS = {"错", "错误", "×", "否", "F", "FALSE"}
ANSWER_SEPARATORS = re.compile(r"[\s、,，;；/|]+")


def answer_parse(qtype: str, text) -> str:
    """The stored answer letters of a cell ("a c d" → "ACD", 正确 → "A" for 判断)."""
    word = ANSWER_SEPARATORS.sub("", normalize_text(text)).upper()
    if qtype == QuestionType.TRUE_FALSE:
        if word in TRUE_WORDS:
            return "A"
        if word in FALSE_WORDS:
            return "B"
        return "?"
    return "".join(sorted(set(word))) if len(set(word)) == len(word) else word


def answer_render(question: Question) -> str:
    if question.qtype == QuestionType.TRUE_FALSE:
        return TRUE_FALSE_OPTIONS[LETTERS.index(question.answer)]
    return question.answer


class OptionField(fields.Field):
    """选项A … 选项F: each column one option of the question's list."""

    def __init__(self, letter: str):
        super().__init__(attribute="options", column_name=f"选项{letter}", widget=TextWidget())
        self.index = LETTERS.index(letter)

    def save(self, instance, row, is_m2m=False, **kwargs):
        cells = instance.__dict__.setdefault("_option_cells", [""] * len(LETTERS))
        cells[self.index] = self.clean(row)

    def export(self, instance, **kwargs):
        options = [] if instance.qtype == QuestionType.TRUE_FALSE else instance.options
        return options[self.index] if self.index < len(options) else ""


class CategoryWidget(Widget):
    """分类: a knowledge point of the bank by name (the resource creates missing ones)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.cache: dict[str, QuestionCategory] = {}

    def clean(self, value, row=None, **kwargs):
        name = normalize_text(value)
        return self.cache.get(name) if name else None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.name


def row_key(resource, row) -> tuple[str, str] | None:
    qtype = TYPE_WORDS.get(normalize_text(row.get(resource.fields["qtype"].column_name)))
    stem = normalize_text(row.get(resource.fields["name"].column_name))
    return (qtype, stem) if qtype and stem else None


class QuestionLoader(BaseInstanceLoader):
    """The bank's questions, fetched once, keyed by (type, stem)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.instances = {}
        if resource.bank.pk:
            for question in Question.objects.filter(bank=resource.bank):
                question._import_state = resource.state_of(question)
                self.instances[(question.qtype, question.stem)] = question

    def get_instance(self, row):
        return self.instances.get(row_key(self.resource, row))


class QuestionResource(RegistryResource):
    """题型, 题干, 选项A…选项F, 答案, 解析, 分类, 难度 — into one bank."""

    key_field = "name"
    required_columns = ("题型", "题干", "选项A", "选项B", "答案")

    qtype = fields.Field(
        attribute="qtype",
        column_name="题型",
        widget=WordWidget(words=TYPE_WORDS, names=TYPE_NAMES, default=""),
    )
    name = fields.Field(
        attribute="stem", column_name="题干", widget=TextWidget(required=True, max_length=2000)
    )
    option_a = OptionField("A")
    option_b = OptionField("B")
    option_c = OptionField("C")
    option_d = OptionField("D")
    option_e = OptionField("E")
    option_f = OptionField("F")
    answer = fields.Field(attribute="answer", column_name="答案", widget=TextWidget())
    explanation = fields.Field(
        attribute="explanation", column_name="解析", widget=TextWidget(max_length=2000)
    )
    category = fields.Field(attribute="category", column_name="分类", widget=CategoryWidget())
    difficulty = fields.Field(
        attribute="difficulty",
        column_name="难度",
        widget=WordWidget(
            words=DIFFICULTY_WORDS, names=DIFFICULTY_NAMES, default=Difficulty.MEDIUM
        ),
    )

    class Meta:
        model = Question
        fields = (
            "qtype",
            "name",
            "option_a",
            "option_b",
            "option_c",
            "option_d",
            "option_e",
            "option_f",
            "answer",
            "explanation",
            "category",
            "difficulty",
        )
        import_id_fields = ("name",)
        instance_loader_class = QuestionLoader

    def __init__(self, *, viewer=None, bank: str | None = None):
        super().__init__(viewer=viewer)
        self.bank_name = normalize_text(bank)
        self.bank = QuestionBank(name=self.bank_name)

    def match_headers(self, headers):
        if not self.bank_name:
            raise ValueError(_("Say which question bank to import into (--bank)."))
        return super().match_headers(headers)

    def compared_attnames(self) -> list[str]:
        return ["options", "answer", "explanation", "category_id", "difficulty"]

    def prefetch(self, dataset):
        self.bank = QuestionBank.objects.filter(name=self.bank_name).first()
        if self.bank is None:
            owner = None
            if account_role(self.viewer) == AccountRole.DEPARTMENT_OFFICER:
                owner = self.viewer.department
            self.bank = QuestionBank.objects.create(name=self.bank_name, owner_department=owner)
        self.bank_editable = self.viewer is None or (
            banks_editable_by(self.viewer).filter(pk=self.bank.pk).exists()
        )
        names = {normalize_text(v) for v in dataset[self.fields["category"].column_name]}
        if self.bank_editable:
            for name in sorted(names - {""}):
                QuestionCategory.objects.get_or_create(bank=self.bank, name=name[:100])
        self.fields["category"].widget.cache = {
            c.name: c for c in QuestionCategory.objects.filter(bank=self.bank)
        }

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors:
            problem = self.options_set(instance)
            problem = problem or question_problem(
                instance.qtype, instance.stem, instance.options, instance.answer
            )
            if problem:
                errors[NON_FIELD_ERRORS] = [problem]
        if errors:
            raise ValidationError(errors)

    def options_set(self, instance) -> str | None:
        """Options from the six cells and the answer as letters; a reason if they do not fit."""
        if not instance.qtype:
            return _("The question type is empty; use 单选, 多选 or 判断.")
        instance.answer = answer_parse(instance.qtype, instance.answer)
        if instance.qtype == QuestionType.TRUE_FALSE:
            instance.options = list(TRUE_FALSE_OPTIONS)
            return None
        cells = instance.__dict__.pop("_option_cells", [""] * len(LETTERS))
        while cells and not cells[-1]:
            cells.pop()
        if "" in cells:
            return _("Option %(letter)s is empty but a later option is given.") % {
                "letter": LETTERS[cells.index("")]
            }
        if len(set(cells)) != len(cells):
            return _("Two options are the same.")
        instance.options = cells
        return None

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance.bank = self.bank

    def file_key(self, instance):
        if not instance.qtype or not instance.stem:
            return None
        return (instance.qtype, instance.stem)

    def scope_problem(self, instance):
        problem = super().scope_problem(instance)
        if problem:
            return problem
        if not self.bank_editable:
            return _("This question bank belongs to another office; you may not change it.")
        return None

    def dehydrate_answer(self, question):
        return answer_render(question)

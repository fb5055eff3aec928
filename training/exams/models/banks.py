"""Question banks: banks owned by the town office or a department, knowledge points, questions.

A question keeps its options as a list (A, B, C… in order) and its correct answer as the letters
of the right options ("B", "ACD"); a 判断 question has the two options 对 / 错, so every type is
graded the same way (training.exams.services.grading).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

LETTERS = "ABCDEF"
TRUE_FALSE_OPTIONS = ["对", "错"]


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")


class Difficulty(models.IntegerChoices):
    EASY = 1, _("Easy")
    MEDIUM = 2, _("Medium")
    HARD = 3, _("Hard")


class QuestionBank(models.Model):
    """A bank of questions, owned by the town office (no department) or by one department."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    owner_department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owning department"),
        help_text=_("Empty: the town safety office owns the bank."),
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self):
        return self.name


class QuestionCategory(models.Model):
    """A knowledge point of a bank, optionally linked to a criteria page and an industry."""

    bank = models.ForeignKey(
        QuestionBank, on_delete=models.CASCADE, related_name="categories", verbose_name=_("bank")
    )
    name = models.CharField(_("name"), max_length=100)
    criteria_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("criteria page"),
    )
    industry = models.ForeignKey(
        "directory.Industry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("industry"),
    )

    class Meta:
        ordering = ["bank", "name"]
        verbose_name = _("knowledge point")
        verbose_name_plural = _("knowledge points")
        constraints = [
            models.UniqueConstraint(fields=["bank", "name"], name="exams_category_unique_name")
        ]

    def __str__(self):
        return f"{self.bank} · {self.name}"


class Question(models.Model):
    bank = models.ForeignKey(
        QuestionBank, on_delete=models.CASCADE, related_name="questions", verbose_name=_("bank")
    )
    category = models.ForeignKey(
        QuestionCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("knowledge point"),
    )
    qtype = models.CharField(_("question type"), max_length=20, choices=QuestionType.choices)
    stem = models.TextField(_("stem"))
    options = models.JSONField(_("options"), default=list, blank=True)
    answer = models.CharField(_("correct answer"), max_length=6)
    explanation = models.TextField(_("explanation"), blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["bank", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "qtype", "stem"], name="exams_question_unique_stem"
            )
        ]

    def __str__(self):
        return self.stem[:40]

    def clean(self):
        problem = question_problem(self.qtype, self.stem, self.options, self.answer)
        if problem:
            raise ValidationError(problem)


def question_problem(qtype: str, stem: str, options: list[str], answer: str) -> str | None:
    """Why a question cannot be asked as given (a Chinese sentence via gettext), or None."""
    if not (stem or "").strip():
        return str(_("The stem is empty."))
    if qtype == QuestionType.TRUE_FALSE:
        if options != TRUE_FALSE_OPTIONS or answer not in ("A", "B"):
            return str(_("A true-or-false answer must be 对 or 错."))
        return None
    if len(options) < 2:
        return str(_("A choice question needs at least two options."))
    if not answer:
        return str(_("The answer is empty."))
    if "".join(sorted(set(answer))) != answer:
        return str(_("Give each answer letter once, in order (e.g. ACD)."))
    if any(letter not in LETTERS[: len(options)] for letter in answer):
        return str(_("The answer names an option that is not given."))
    if qtype == QuestionType.SINGLE and len(answer) != 1:
        return str(_("A single-choice question has exactly one answer."))
    if qtype == QuestionType.MULTIPLE and len(answer) < 2:
        return str(_("A multiple-choice question has at least two answers."))
    return None

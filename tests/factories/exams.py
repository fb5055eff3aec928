"""Factories for exams: question banks of N questions of each type, fixed and drawn papers, exams
open now, attempts."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories.directory import PersonFactory
from training.models import (
    Attempt,
    AttemptStatus,
    DrawRule,
    Exam,
    Paper,
    PaperQuestion,
    Question,
    QuestionBank,
    QuestionCategory,
    QuestionType,
)

__all__ = [
    "AttemptFactory",
    "DrawRuleFactory",
    "DrawnPaperFactory",
    "ExamFactory",
    "PaperFactory",
    "QuestionBankFactory",
    "QuestionCategoryFactory",
    "QuestionFactory",
    "right_answers_shown",
]


class QuestionCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionCategory
        django_get_or_create = ("bank", "name")

    bank = factory.SubFactory("tests.factories.exams.QuestionBankFactory", single=0)
    name = "法律法规"


class QuestionFactory(factory.django.DjangoModelFactory):
    """A single-choice question by default; `multiple=True` / `true_false=True` for the others."""

    class Meta:
        model = Question

    bank = factory.SubFactory("tests.factories.exams.QuestionBankFactory", single=0)
    category = factory.SubFactory(QuestionCategoryFactory, bank=factory.SelfAttribute("..bank"))
    qtype = QuestionType.SINGLE
    stem = factory.Sequence(lambda n: f"单选题{n}")
    options = factory.LazyFunction(lambda: ["甲", "乙", "丙", "丁"])
    answer = "A"

    class Params:
        multiple = factory.Trait(
            qtype=QuestionType.MULTIPLE,
            stem=factory.Sequence(lambda n: f"多选题{n}"),
            answer="AC",
        )
        true_false = factory.Trait(
            qtype=QuestionType.TRUE_FALSE,
            stem=factory.Sequence(lambda n: f"判断题{n}"),
            options=factory.LazyFunction(lambda: ["对", "错"]),
            answer="A",
        )


def _questions_add(bank: QuestionBank, qtype: str, count: int) -> None:
    """`count` questions of one type in the bank's 法律法规 category, numbered from 0 in their stems
    (单选题0, 单选题1…); single-choice answers cycle A, B, C, D."""
    if not count:
        return
    category = QuestionCategoryFactory(bank=bank)
    trait = {"multiple": {"multiple": True}, "true_false": {"true_false": True}}.get(qtype, {})
    label = {"single": "单选题", "multiple": "多选题", "true_false": "判断题"}[qtype]
    questions = []
    for i in range(count):
        fields = {"stem": f"{label}{i}"}
        if qtype == "single":
            fields["answer"] = "ABCD"[i % 4]
        questions.append(QuestionFactory.build(bank=bank, category=category, **trait, **fields))
    Question.objects.bulk_create(questions)


class QuestionBankFactory(factory.django.DjangoModelFactory):
    """A bank of ten single-choice questions; `single=`, `multiple=`, `true_false=` set how many
    of each type it holds (made in that order, so primary keys follow it)."""

    class Meta:
        model = QuestionBank
        skip_postgeneration_save = True

    name = "通用题库"
    owner_department = None

    @factory.post_generation
    def single(bank, create, count, **kwargs):
        if create:
            _questions_add(bank, "single", 10 if count is None else count)

    @factory.post_generation
    def multiple(bank, create, count, **kwargs):
        if create:
            _questions_add(bank, "multiple", count or 0)

    @factory.post_generation
    def true_false(bank, create, count, **kwargs):
        if create:
            _questions_add(bank, "true_false", count or 0)


class PaperFactory(factory.django.DjangoModelFactory):
    """A fixed paper: every question of `bank` on it, in the order they were made, `score` points
    each."""

    class Meta:
        model = Paper

    bank = factory.SubFactory(QuestionBankFactory)
    score = "1"
    name = factory.LazyAttribute(lambda o: f"{o.bank.name}卷")
    shuffle_options = True

    @classmethod
    def _create(cls, model_class, *args, bank, score, **kwargs):
        paper = super()._create(model_class, *args, **kwargs)
        PaperQuestion.objects.bulk_create(
            PaperQuestion(paper=paper, question=question, score=Decimal(score), position=i)
            for i, question in enumerate(bank.questions.order_by("pk"))
        )
        return paper


class DrawRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DrawRule

    paper = factory.SubFactory(
        "tests.factories.exams.DrawnPaperFactory", rules=(), bank=factory.SelfAttribute("..bank")
    )
    bank = factory.SubFactory(QuestionBankFactory)
    qtype = QuestionType.SINGLE
    count = 1
    score = Decimal("1")
    position = factory.Sequence(lambda n: n)


class DrawnPaperFactory(factory.django.DjangoModelFactory):
    """A paper drawn afresh for each attempt from `bank` by `rules`: [(qtype, count, score)]."""

    class Meta:
        model = Paper

    bank = factory.SubFactory(QuestionBankFactory)
    rules = ((QuestionType.SINGLE, 5, "2"),)
    name = factory.LazyAttribute(lambda o: f"{o.bank.name}随机卷")
    shuffle_options = True

    @classmethod
    def _create(cls, model_class, *args, bank, rules, **kwargs):
        paper = super()._create(model_class, *args, **kwargs)
        for i, (qtype, count, score) in enumerate(rules):
            DrawRuleFactory(
                paper=paper, bank=bank, qtype=qtype, count=count, score=Decimal(score), position=i
            )
        return paper


class ExamFactory(factory.django.DjangoModelFactory):
    """An assessment open from an hour ago until tomorrow, 30 minutes per attempt."""

    class Meta:
        model = Exam

    paper = factory.SubFactory(PaperFactory)
    title = "主要负责人安全生产知识考核"
    kind = "assessment"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    duration_minutes = 30


class AttemptFactory(factory.django.DjangoModelFactory):
    """A submitted attempt, twenty minutes after its start; no items (tallies need none)."""

    class Meta:
        model = Attempt

    exam = factory.SubFactory(ExamFactory)
    person = factory.SubFactory(PersonFactory)
    status = AttemptStatus.SUBMITTED
    started_at = factory.LazyFunction(timezone.now)
    deadline = factory.LazyAttribute(lambda o: o.started_at + datetime.timedelta(minutes=30))
    submitted_at = factory.LazyAttribute(lambda o: o.started_at + datetime.timedelta(minutes=20))


def right_answers_shown(attempt: Attempt) -> list[str]:
    """Each position's right answer as the screen shows it (for tests that answer correctly)."""
    from training.exams.options import own_to_shown

    keys = dict(
        Question.objects.filter(pk__in=[i["q"] for i in attempt.items]).values_list("pk", "answer")
    )
    return [own_to_shown(item, keys[item["q"]]) for item in attempt.items]

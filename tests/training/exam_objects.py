"""Builders for exam tests: a bank of N questions of each type, a paper, an exam open now."""

import datetime
from decimal import Decimal

from django.utils import timezone

from training.models import (
    DrawRule,
    Exam,
    Paper,
    PaperQuestion,
    Question,
    QuestionBank,
    QuestionCategory,
)


def bank_make(name="通用题库", *, single=10, multiple=0, true_false=0, owner=None):
    bank = QuestionBank.objects.create(name=name, owner_department=owner)
    category = QuestionCategory.objects.create(bank=bank, name="法律法规")
    questions = [
        Question(
            bank=bank,
            category=category,
            qtype="single",
            stem=f"单选题{i}",
            options=["甲", "乙", "丙", "丁"],
            answer="ABCD"[i % 4],
        )
        for i in range(single)
    ]
    questions += [
        Question(
            bank=bank,
            category=category,
            qtype="multiple",
            stem=f"多选题{i}",
            options=["甲", "乙", "丙", "丁"],
            answer="AC",
        )
        for i in range(multiple)
    ]
    questions += [
        Question(
            bank=bank,
            category=category,
            qtype="true_false",
            stem=f"判断题{i}",
            options=["对", "错"],
            answer="A",
        )
        for i in range(true_false)
    ]
    Question.objects.bulk_create(questions)
    return bank


def paper_fixed(bank, *, score="1", shuffle=True):
    paper = Paper.objects.create(name=f"{bank.name}卷", shuffle_options=shuffle)
    PaperQuestion.objects.bulk_create(
        PaperQuestion(paper=paper, question=q, score=Decimal(score), position=i)
        for i, q in enumerate(bank.questions.order_by("pk"))
    )
    return paper


def paper_drawn(bank, rules, *, shuffle=True):
    """rules: [(qtype, count, score)]."""
    paper = Paper.objects.create(name=f"{bank.name}随机卷", shuffle_options=shuffle)
    for i, (qtype, count, score) in enumerate(rules):
        DrawRule.objects.create(
            paper=paper, bank=bank, qtype=qtype, count=count, score=Decimal(score), position=i
        )
    return paper


def exam_make(paper, **fields):
    now = timezone.now()
    values = {
        "title": "主要负责人安全生产知识考核",
        "kind": "assessment",
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=1),
        "duration_minutes": 30,
        **fields,
    }
    return Exam.objects.create(paper=paper, **values)


def right_answers_shown(attempt):
    """Each position's right answer as the screen shows it (for tests that answer correctly)."""
    from training.exams.options import own_to_shown

    keys = dict(
        Question.objects.filter(pk__in=[i["q"] for i in attempt.items]).values_list("pk", "answer")
    )
    return [own_to_shown(item, keys[item["q"]]) for item in attempt.items]

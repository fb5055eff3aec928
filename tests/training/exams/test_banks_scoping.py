"""Question banks by owner × role: the selectors and the back-office screens agree.

Three banks: the town's (no department), department a's and department b's. The town office
sees and edits all; department a's officer sees the town's and its own, edits only its own;
nobody else works with banks.
"""

import pytest
from django.urls import reverse

from directory.constants import AccountRole
from directory.selectors import editable_by, visible_to
from tests.factories.exams import QuestionBankFactory, QuestionCategoryFactory, QuestionFactory
from training.models import Question

OWNERS = ("town", "a", "b")
VISIBLE = {
    AccountRole.TOWN_OFFICE: {"town", "a", "b"},
    AccountRole.DEPARTMENT_OFFICER: {"town", "a"},
}
EDITABLE = {
    AccountRole.TOWN_OFFICE: {"town", "a", "b"},
    AccountRole.DEPARTMENT_OFFICER: {"a"},
}
KINDS = ("bank", "category", "question")
MATRIX = [(role, kind, owner) for role in AccountRole for kind in KINDS for owner in OWNERS]


def make(kind, town, owner):
    department = None if owner == "town" else town[f"dept_{owner}"]
    bank = QuestionBankFactory(name=f"题库{owner}", owner_department=department, single=0)
    category = QuestionCategoryFactory(bank=bank)
    question = QuestionFactory(
        bank=bank, category=category, stem="题干", options=["甲", "乙"], answer="A"
    )
    return {"bank": bank, "category": category, "question": question}[kind]


URL_NAMES = {"bank": "question_banks", "category": "question_categories", "question": "questions"}


@pytest.mark.parametrize(
    ("role", "kind", "owner"), MATRIX, ids=[f"{r.value}-{k}-{o}" for r, k, o in MATRIX]
)
def test_selectors_and_screens(client, accounts, town, role, kind, owner):
    obj = make(kind, town, owner)
    user = accounts[role]
    model = type(obj)
    assert visible_to(user, model).filter(pk=obj.pk).exists() == (owner in VISIBLE.get(role, ()))
    assert editable_by(user, model).filter(pk=obj.pk).exists() == (owner in EDITABLE.get(role, ()))
    client.force_login(user)
    edit = client.get(reverse(f"{URL_NAMES[kind]}:edit", args=[obj.pk]))
    if owner in EDITABLE.get(role, ()):
        assert edit.status_code == 200
    else:
        assert edit.status_code in (302, 403, 404)
    index = client.get(reverse(f"{URL_NAMES[kind]}:index"))
    if role in VISIBLE:
        assert index.status_code == 200
        assert (f"/edit/{obj.pk}/" in index.content.decode()) == (owner in EDITABLE[role])
    else:
        assert index.status_code in (302, 403)


def test_department_officer_adds_question_through_the_form(client, accounts, town):
    bank = make("bank", town, "a")
    officer = accounts[AccountRole.DEPARTMENT_OFFICER]
    client.force_login(officer)
    response = client.post(
        reverse("questions:add"),
        {
            "bank": bank.pk,
            "qtype": "multiple",
            "stem": "哪些属于劳动防护用品？",
            "options_text": "安全帽\n安全带\n手机",
            "answer": "ba",
            "explanation": "",
            "difficulty": 2,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get(stem="哪些属于劳动防护用品？")
    assert question.options == ["安全帽", "安全带", "手机"] and question.answer == "AB"
    other = make("bank", town, "b")
    response = client.post(
        reverse("questions:add"),
        {"bank": other.pk, "qtype": "true_false", "stem": "越权？", "answer": "A", "difficulty": 2},
    )
    assert response.status_code == 200
    assert not Question.objects.filter(stem="越权？").exists()


def test_bad_question_is_refused_with_reason(client, accounts, town):
    bank = make("bank", town, "town")
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    response = client.post(
        reverse("questions:add"),
        {
            "bank": bank.pk,
            "qtype": "single",
            "stem": "两个答案？",
            "options_text": "甲\n乙",
            "answer": "AB",
            "difficulty": 2,
        },
    )
    assert response.status_code == 200
    assert "单选题只能有一个答案" in response.content.decode()

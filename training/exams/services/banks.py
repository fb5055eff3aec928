"""Writes to question banks from the back office: checked against the writer's scope."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.models import User
from directory.selectors import account_role
from training.exams.models.banks import Question, QuestionBank, QuestionCategory
from training.exams.selectors.scoping import banks_editable_by


def _bank_check(user: User, bank: QuestionBank) -> None:
    if not banks_editable_by(user).filter(pk=bank.pk).exists():
        raise PermissionDenied(_("This question bank belongs to another office."))


@transaction.atomic
def bank_save(*, user: User, bank: QuestionBank) -> QuestionBank:
    """Create or change a bank; a department officer's banks always belong to their department."""
    if account_role(user) == AccountRole.DEPARTMENT_OFFICER:
        bank.owner_department_id = user.department_id
    elif account_role(user) != AccountRole.TOWN_OFFICE:
        raise PermissionDenied(_("You may not manage question banks."))
    if bank.pk:
        _bank_check(user, QuestionBank.objects.get(pk=bank.pk))
    bank.full_clean()
    bank.save()
    return bank


@transaction.atomic
def category_save(*, user: User, category: QuestionCategory) -> QuestionCategory:
    _bank_check(user, category.bank)
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def question_save(*, user: User, question: Question) -> Question:
    _bank_check(user, question.bank)
    if question.pk:
        _bank_check(user, Question.objects.select_related("bank").get(pk=question.pk).bank)
    question.full_clean()
    question.save()
    return question

"""Writes to papers and exams from the back office: checked against the writer's scope."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from directory.constants import AccountRole
from directory.models import User
from directory.selectors import account_role, editable_by
from training.exams.models.papers import DrawRule, Exam, Paper, PaperQuestion
from training.exams.selectors.scoping import banks_visible_to, papers_editable_by, papers_visible_to


def _owned_save(user: User, obj, model) -> None:
    """A department officer's papers and exams belong to their department."""
    role = account_role(user)
    if role == AccountRole.DEPARTMENT_OFFICER:
        obj.owner_department_id = user.department_id
    elif role != AccountRole.TOWN_OFFICE:
        raise PermissionDenied(_("You may not manage exams."))
    if obj.pk and not editable_by(user, model).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("This belongs to another office."))
    obj.full_clean()
    obj.save()


@transaction.atomic
def paper_save(*, user: User, paper: Paper) -> Paper:
    _owned_save(user, paper, Paper)
    return paper


@transaction.atomic
def exam_save(*, user: User, exam: Exam) -> Exam:
    if exam.created_by_id is None:
        exam.created_by = user
    if not papers_visible_to(user).filter(pk=exam.paper_id).exists():
        raise PermissionDenied(_("This paper belongs to another office."))
    _owned_save(user, exam, Exam)
    return exam


@transaction.atomic
def paper_part_save(*, user: User, part: DrawRule | PaperQuestion):
    """A draw rule or fixed question of a paper the user may change, from a bank they see."""
    if not papers_editable_by(user).filter(pk=part.paper_id).exists():
        raise PermissionDenied(_("This paper belongs to another office."))
    bank_id = part.bank_id if isinstance(part, DrawRule) else part.question.bank_id
    if not banks_visible_to(user).filter(pk=bank_id).exists():
        raise PermissionDenied(_("This question bank belongs to another office."))
    part.full_clean()
    part.save()
    return part

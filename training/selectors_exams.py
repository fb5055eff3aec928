"""Reads of exams: who sees and edits which question banks, papers and exams.

A bank (and a paper or exam, through its owner) belongs to the town safety office (no department)
or to one department. The town office sees and edits everything; a department officer sees the
town's banks and its own, and edits its own.
"""

from django.db.models import Q, QuerySet

from directory.constants import AccountRole
from directory.models import User
from directory.selectors import account_role
from training.models.exams import Question, QuestionBank, QuestionCategory


def _owned_visible(user: User, qs: QuerySet, owner: str) -> QuerySet:
    role = account_role(user)
    if role == AccountRole.TOWN_OFFICE:
        return qs
    if role == AccountRole.DEPARTMENT_OFFICER:
        return qs.filter(Q(**{f"{owner}__isnull": True}) | Q(**{owner: user.department_id}))
    return qs.none()


def _owned_editable(user: User, qs: QuerySet, owner: str) -> QuerySet:
    role = account_role(user)
    if role == AccountRole.TOWN_OFFICE:
        return qs
    if role == AccountRole.DEPARTMENT_OFFICER:
        return qs.filter(**{owner: user.department_id})
    return qs.none()


def _scopes(model, owner: str):
    def visible(user: User, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return _owned_visible(user, qs, owner)

    def editable(user: User, queryset: QuerySet | None = None) -> QuerySet:
        qs = model.objects.all() if queryset is None else queryset
        return _owned_editable(user, qs, owner)

    visible.__name__ = f"{model._meta.model_name}s_visible_to"
    editable.__name__ = f"{model._meta.model_name}s_editable_by"
    return visible, editable


banks_visible_to, banks_editable_by = _scopes(QuestionBank, "owner_department")
categories_visible_to, categories_editable_by = _scopes(QuestionCategory, "bank__owner_department")
questions_visible_to, questions_editable_by = _scopes(Question, "bank__owner_department")

SCOPES = {
    QuestionBank: (banks_visible_to, banks_editable_by),
    QuestionCategory: (categories_visible_to, categories_editable_by),
    Question: (questions_visible_to, questions_editable_by),
}


def register_exam_scopes() -> None:
    """Scopes and Wagtail permission policies of the exam models (called from training.apps)."""
    from wagtail.permissions import register_permission_policy

    from directory.permissions import ScopedPermissionPolicy
    from directory.selectors import scope_register

    for model, (visible, editable) in SCOPES.items():
        scope_register(model, visible=visible, editable=editable)
        register_permission_policy(model, ScopedPermissionPolicy(model))

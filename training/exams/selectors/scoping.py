"""Reads of exams: who sees and edits which question banks, papers and exams.

A bank (and a paper or exam, through its owner) belongs to the town safety office (no department)
or to one department. The town office sees and edits everything; a department officer sees the
town's banks and its own, and edits its own.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from directory.constants import AccountRole
from directory.models import User
from directory.scoping import account_role, narrow_to_unit
from directory.selectors import people_visible_to
from training.exams.models.attempts import Attempt
from training.exams.models.banks import Question, QuestionBank, QuestionCategory
from training.exams.models.papers import DrawRule, Exam, Paper, PaperQuestion
from training.exams.options import own_to_shown


def _owned_visible(user: User, qs: QuerySet, owner: str) -> QuerySet:
    # The town's own rows (no owning department) are shared with every department.
    return narrow_to_unit(qs, user, department=owner, shared=Q(**{f"{owner}__isnull": True}))


def _owned_editable(user: User, qs: QuerySet, owner: str) -> QuerySet:
    return narrow_to_unit(qs, user, department=owner)


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
papers_visible_to, papers_editable_by = _scopes(Paper, "owner_department")
draw_rules_visible_to, draw_rules_editable_by = _scopes(DrawRule, "paper__owner_department")
paper_questions_visible_to, paper_questions_editable_by = _scopes(
    PaperQuestion, "paper__owner_department"
)
exams_visible_to, exams_editable_by = _scopes(Exam, "owner_department")


def attempts_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """An attempt follows its taker: the attempts of the people the user sees; a contest
    participant's (no registry person) only to the town office."""
    qs = Attempt.objects.all() if queryset is None else queryset
    if account_role(user) == AccountRole.TOWN_OFFICE:
        return qs
    return qs.filter(person__in=people_visible_to(user).order_by().values("pk"))


def attempts_editable_by(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Attempts are written by the exam services only; the town office stands for the records."""
    qs = Attempt.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user)


SCOPES = {
    QuestionBank: (banks_visible_to, banks_editable_by),
    QuestionCategory: (categories_visible_to, categories_editable_by),
    Question: (questions_visible_to, questions_editable_by),
    Paper: (papers_visible_to, papers_editable_by),
    DrawRule: (draw_rules_visible_to, draw_rules_editable_by),
    PaperQuestion: (paper_questions_visible_to, paper_questions_editable_by),
    Exam: (exams_visible_to, exams_editable_by),
}


def register_exam_scopes() -> None:
    """Scopes and Wagtail permission policies of the exam models (called from training.apps)."""
    from wagtail.permissions import register_permission_policy

    from directory.permissions import ScopedPermissionPolicy
    from directory.scoping import scope_register

    for model, (visible, editable) in SCOPES.items():
        scope_register(model, visible=visible, editable=editable)
        register_permission_policy(model, ScopedPermissionPolicy(model))
    # No screen lists attempts, so no permission policy: the scope serves the archive
    # (directory.services.archive) and the registry log's readers.
    scope_register(Attempt, visible=attempts_visible_to, editable=attempts_editable_by)


# --- the learner's side ---------------------------------------------------------------------


def exam_audience_includes(exam, person) -> bool:
    """Whether the person is in the exam's audience (criteria as for course assignments).

    An exam without any criteria is open to everyone in the registry.
    """
    from directory.constants import PersonStatus
    from directory.models import Person

    people = Person.objects.filter(pk=person.pk, status=PersonStatus.ACTIVE)
    if exam.audience_role:
        people = people.with_role(exam.audience_role)
    if exam.audience_industry_id:
        people = people.filter(employer__industry_id=exam.audience_industry_id)
    if exam.audience_enterprise_id:
        people = people.filter(employer_id=exam.audience_enterprise_id)
    listed = exam.audience_people.all()
    if listed.exists():
        people = people.filter(pk__in=listed.values("pk"))
    return people.exists()


def exams_open_for(person, *, now) -> list:
    """The exams (contests aside) open now whose audience includes the person."""
    from training.exams.models.papers import Exam, ExamKind

    exams = Exam.objects.exclude(kind=ExamKind.CONTEST).filter(opens_at__lte=now, closes_at__gt=now)
    return [exam for exam in exams.order_by("closes_at") if exam_audience_includes(exam, person)]


def attempt_answers_withheld_by(attempt, *, now):
    """The open knowledge contest (the one closing last) that draws from a bank this attempt's
    questions come from, or None.

    The one rule for right answers while a contest runs: no attempt on its banks, practice or
    formal or the contest's own, shows right answers or explanations (review, practice feedback)
    until the contest closes; otherwise a practice paper hands out the contest's key.
    """
    from training.exams.models.banks import Question
    from training.exams.models.papers import Exam, ExamKind

    banks = Question.objects.filter(pk__in=[item["q"] for item in attempt.items]).values("bank_id")
    contests = Exam.objects.filter(kind=ExamKind.CONTEST, opens_at__lte=now, closes_at__gt=now)
    on_banks = Q(paper__draw_rules__bank__in=banks) | Q(
        paper__fixed_questions__question__bank__in=banks
    )
    return contests.filter(on_banks).order_by("-closes_at").first()


@dataclass
class Review:
    """What a closed attempt's result page may show, and why not when it may not."""

    reveal: bool
    withheld_by: object = None  # the open contest on the same banks (attempt_answers_withheld_by)


def attempt_review(attempt, *, now) -> Review:
    """Whether the learner may see right answers and explanations of a closed attempt: as the
    exam's review setting allows, and never while a contest on the same banks is open."""
    from training.exams.models.papers import ReviewPolicy

    if attempt.is_open:
        return Review(reveal=False)
    review = attempt.exam.review
    allowed = review == ReviewPolicy.AFTER_SUBMIT or (
        review == ReviewPolicy.AFTER_CLOSE and now >= attempt.exam.closes_at
    )
    if not allowed:
        return Review(reveal=False)
    contest = attempt_answers_withheld_by(attempt, now=now)
    return Review(reveal=contest is None, withheld_by=contest)


def attempt_sheet(attempt, *, reveal: bool) -> list[dict]:
    """The attempt's questions as shown: stem, options in the drawn order, the given answer.

    Right answers and explanations are added only with `reveal` (a closed attempt whose exam
    allows review): the page of an attempt in progress never carries them.
    """
    from training.exams.models.banks import Question

    questions = Question.objects.in_bulk([item["q"] for item in attempt.items])
    sheet = []
    for position, item in enumerate(attempt.items):
        question = questions[item["q"]]
        given = attempt.answers.get(str(position), "")
        entry = {
            "position": position,
            "number": position + 1,
            "qtype": question.qtype,
            "qtype_label": question.get_qtype_display(),
            "stem": question.stem,
            "score": item["s"],
            "options": [
                {"letter": "ABCDEF"[shown], "text": question.options[own]}
                for shown, own in enumerate(item["o"])
            ],
            "given": own_to_shown(item, given) if given else "",
            "marked": position in attempt.marks,
        }
        if reveal:
            entry["right"] = own_to_shown(item, question.answer)
            entry["correct"] = attempt.results.get(str(position), False)
            entry["explanation"] = question.explanation
        sheet.append(entry)
    return sheet

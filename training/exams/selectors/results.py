"""Results of an exam for organisers: pass rate, per enterprise / department, item statistics.

Only the attempts of people the viewer may see count (directory.selectors.people_visible_to).
A person's best attempt decides whether they passed. Item statistics follow classical test
analysis: the share answering right, and discrimination = share right in the top 27% of
attempts by score minus the share in the bottom 27% (low or negative: a question to check).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from directory.models import User
from directory.selectors import people_visible_to
from training.exams.models.attempts import Attempt, AttemptStatus
from training.exams.models.banks import Question
from training.exams.models.papers import Exam, ExamKind

GROUP_SHARE = Decimal("0.27")


@dataclass
class UnitRow:
    label: str
    takers: int = 0
    passed: int = 0
    total_score: Decimal = Decimal("0")

    @property
    def pass_rate(self) -> float:
        return self.passed / self.takers if self.takers else 0.0

    @property
    def average(self) -> Decimal:
        return round(self.total_score / self.takers, 1) if self.takers else Decimal("0")


@dataclass
class ItemRow:
    question_id: int
    stem: str
    qtype: str
    asked: int = 0
    right: int = 0
    discrimination: float | None = None

    @property
    def share_right(self) -> float:
        return self.right / self.asked if self.asked else 0.0


@dataclass
class ExamResults:
    exam: Exam
    people: list = field(default_factory=list)  # (person, best attempt, attempts)
    overall: UnitRow = field(default_factory=lambda: UnitRow(""))
    units: list[UnitRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)


def assessment_passed_in(*, year: int) -> QuerySet:
    """Passed attempts at the principal / safety manager assessment (主要负责人和安全管理人员考核)
    submitted in `year`."""
    return Attempt.objects.filter(
        exam__kind=ExamKind.ASSESSMENT,
        passed=True,
        person__isnull=False,
        submitted_at__year=year,
    )


def attempts_of_person(person) -> QuerySet[Attempt]:
    """A person's handed-in attempts, oldest first, with exam and paper (一人一档): as a registered
    person or as a contest participant tied to them."""
    return (
        Attempt.objects.filter(Q(person=person) | Q(participant__person=person))
        .exclude(status=AttemptStatus.STARTED)
        .select_related("exam__paper")
        .order_by("submitted_at", "pk")
    )


def _unit_label(person) -> str:
    if person.employer_id:
        return person.employer.name
    if person.department_id:
        return person.department.name
    return _("Not attached")


def exam_results(*, exam: Exam, user: User) -> ExamResults:
    attempts = list(
        Attempt.objects.filter(exam=exam, person__in=people_visible_to(user))
        .exclude(status=AttemptStatus.STARTED)
        .select_related("person__employer", "person__department")
        .order_by("person_id", "-score", "pk")
    )
    results = ExamResults(exam=exam, overall=UnitRow(_("All")))
    best, counts = {}, defaultdict(int)
    for attempt in attempts:
        best.setdefault(attempt.person_id, attempt)
        counts[attempt.person_id] += 1
    units: dict[str, UnitRow] = {}
    for person_id, attempt in best.items():
        label = _unit_label(attempt.person)
        results.people.append((attempt.person, attempt, counts[person_id]))
        for row in (results.overall, units.setdefault(label, UnitRow(label))):
            row.takers += 1
            row.passed += bool(attempt.passed)
            row.total_score += attempt.score or 0
    results.units = sorted(units.values(), key=lambda row: (-row.pass_rate, row.label))
    results.people.sort(key=lambda entry: (-(entry[1].score or 0), entry[0].name))
    results.items = item_statistics(attempts)
    return results


def item_statistics(attempts: list[Attempt]) -> list[ItemRow]:
    """Share right and discrimination per question over closed attempts (one query for stems)."""
    ranked = sorted(attempts, key=lambda a: a.score or 0, reverse=True)
    group = int(len(ranked) * GROUP_SHARE) or (1 if len(ranked) >= 2 else 0)
    top, bottom = ranked[:group], ranked[len(ranked) - group :] if group else []
    rows: dict[int, ItemRow] = {}
    tallies = {"top": defaultdict(lambda: [0, 0]), "bottom": defaultdict(lambda: [0, 0])}
    for attempt in ranked:
        for position, item in enumerate(attempt.items):
            right = bool(attempt.results.get(str(position)))
            row = rows.setdefault(item["q"], ItemRow(item["q"], "", ""))
            row.asked += 1
            row.right += right
    for name, members in (("top", top), ("bottom", bottom)):
        for attempt in members:
            for position, item in enumerate(attempt.items):
                tally = tallies[name][item["q"]]
                tally[0] += 1
                tally[1] += bool(attempt.results.get(str(position)))
    questions = Question.objects.in_bulk(list(rows))
    for question_id, row in rows.items():
        question = questions.get(question_id)
        if question is not None:
            row.stem, row.qtype = question.stem, question.get_qtype_display()
        high, low = tallies["top"].get(question_id), tallies["bottom"].get(question_id)
        if high and low and high[0] and low[0]:
            row.discrimination = round(high[1] / high[0] - low[1] / low[0], 2)
    return sorted(rows.values(), key=lambda r: (r.discrimination is None, r.discrimination or 0))

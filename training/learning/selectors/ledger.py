"""Reads of online learning: the scoping of ledger entries, and hours totals from the ledger."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet, Sum

from directory.models import Person, User
from directory.scoping import narrow_to_unit, reference_scopes
from directory.selectors import people_editable_by, people_visible_to
from training.learning.models.assignments import CourseAssignment, Enrolment
from training.learning.models.ledger import StudyHourEntry
from training.learning.models.requirements import TopicTrainingRequirement, TrainingRequirement

# --- scoping: ledger entries follow their person ---------------------------------------------


def ledger_entries_visible_to(
    user: User, queryset: QuerySet | None = None
) -> QuerySet[StudyHourEntry]:
    qs = StudyHourEntry.objects.all() if queryset is None else queryset
    return qs.filter(person__in=people_visible_to(user))


def ledger_entries_editable_by(
    user: User, queryset: QuerySet | None = None
) -> QuerySet[StudyHourEntry]:
    qs = StudyHourEntry.objects.all() if queryset is None else queryset
    return qs.filter(person__in=people_editable_by(user))


def assignments_visible_to(
    user: User, queryset: QuerySet | None = None
) -> QuerySet[CourseAssignment]:
    """The town office sees every assignment; others those their own unit issued."""
    qs = CourseAssignment.objects.all() if queryset is None else queryset
    return narrow_to_unit(qs, user, department="issuer_department", enterprise="issuer_enterprise")


def learning_scopes() -> dict:
    return {
        StudyHourEntry: (ledger_entries_visible_to, ledger_entries_editable_by),
        # Who may see an assignment may also change its due date or withdraw it.
        CourseAssignment: (assignments_visible_to, assignments_visible_to),
        # The requirement tables are the town office's to correct (regulations.md marks some R).
        TrainingRequirement: reference_scopes(TrainingRequirement),
        TopicTrainingRequirement: reference_scopes(TopicTrainingRequirement),
    }


def register_learning_scopes() -> None:
    from wagtail.permissions import register_permission_policy

    from directory.permissions import ScopedPermissionPolicy
    from directory.scoping import scope_register

    for model, (visible, editable) in learning_scopes().items():
        scope_register(model, visible=visible, editable=editable)
        register_permission_policy(model, ScopedPermissionPolicy(model))


# --- totals: only ever sums of the ledger ----------------------------------------------------


def hours_by_person(*, people: QuerySet[Person], year: int) -> dict[int, Decimal]:
    """Credited hours of each person in `year`, in one query whatever the number of people."""
    rows = (
        StudyHourEntry.objects.filter(person__in=people.order_by().values("pk"), date__year=year)
        .order_by()
        .values("person_id")
        .annotate(total=Sum("hours"))
    )
    return {row["person_id"]: row["total"] for row in rows}


def person_hours(*, person: Person, year: int) -> Decimal:
    total = StudyHourEntry.objects.filter(person=person, date__year=year).aggregate(t=Sum("hours"))
    return total["t"] or Decimal("0")


def person_ledger(*, person: Person) -> QuerySet[StudyHourEntry]:
    """Every entry of a person, oldest first, with the course and lesson its title names."""
    return (
        StudyHourEntry.objects.filter(person=person)
        .select_related("course", "lesson", "confirmed_by")
        .order_by("date", "pk")
    )


def ledger_by_year(
    entries: Iterable[StudyHourEntry], *, newest_first: bool = True
) -> list[tuple[int, Decimal, list[StudyHourEntry]]]:
    """Entries grouped by year, each year with its total (entries keep their order)."""
    years: dict[int, list[StudyHourEntry]] = defaultdict(list)
    for entry in entries:
        years[entry.date.year].append(entry)
    return [
        (year, sum((e.hours for e in items), Decimal("0")), items)
        for year, items in sorted(years.items(), reverse=newest_first)
    ]


def person_ledger_by_year(*, person: Person) -> list[tuple[int, Decimal, list[StudyHourEntry]]]:
    """Every entry of a person, newest year first, with each year's total."""
    return ledger_by_year(person_ledger(person=person).reverse())


# --- progress --------------------------------------------------------------------------------


def course_progress_for(*, person: Person, course) -> dict:
    """A person's progress through a course's live lessons and enrolment, in a few queries."""
    from training.learning.models.progress import LessonProgress

    lessons = list(course.lessons())
    rows = LessonProgress.objects.filter(person=person, lesson__in=[x.pk for x in lessons])
    progress = {row.lesson_id: row for row in rows}
    done = [x for x in lessons if progress.get(x.pk) and progress[x.pk].completed_at]
    resume = next((x for x in lessons if x not in done), None)
    return {
        "enrolment": Enrolment.objects.filter(person=person, course=course).first(),
        "lessons": [(x, progress.get(x.pk)) for x in lessons],
        "done": len(done),
        "total": len(lessons),
        "complete": bool(lessons) and len(done) == len(lessons),
        "resume": resume,
    }

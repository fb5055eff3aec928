"""What a learner's "My learning" page shows, in a fixed number of queries."""

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from content.models import CoursePage, LessonPage
from directory.models import Person
from training.learning.models.assignments import Enrolment
from training.learning.models.progress import LessonProgress
from training.learning.selectors.ledger import person_ledger_by_year
from training.learning.selectors.requirements import RequirementStatus, requirement_status


@dataclass
class CourseCard:
    enrolment: Enrolment
    course: CoursePage
    done: int
    total: int
    next_lesson: LessonPage | None
    overdue: bool

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return bool(self.total) and self.done == self.total


def _lessons_of(courses: list[CoursePage]) -> dict[str, list[LessonPage]]:
    """Live lessons of several courses in one query, by the course's tree path, in order."""
    if not courses:
        return {}
    query = reduce(or_, (Q(path__startswith=c.path, depth=c.depth + 1) for c in courses))
    lessons: dict[str, list[LessonPage]] = {c.path: [] for c in courses}
    for lesson in LessonPage.objects.live().filter(query).order_by("path"):
        lessons[lesson.path[: -lesson.steplen]].append(lesson)
    return lessons


def course_cards(*, person: Person, today: datetime.date) -> list[CourseCard]:
    enrolments = list(
        Enrolment.objects.filter(person=person, course__live=True).select_related("course")
    )
    lessons = _lessons_of([e.course for e in enrolments])
    all_ids = [lesson.pk for items in lessons.values() for lesson in items]
    completed = set(
        LessonProgress.objects.filter(
            person=person, lesson_id__in=all_ids, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    cards = []
    for enrolment in enrolments:
        items = lessons.get(enrolment.course.path, [])
        done = sum(1 for lesson in items if lesson.pk in completed)
        cards.append(
            CourseCard(
                enrolment=enrolment,
                course=enrolment.course,
                done=done,
                total=len(items),
                next_lesson=next((x for x in items if x.pk not in completed), None),
                overdue=bool(
                    enrolment.due_date and enrolment.due_date < today and done < len(items)
                ),
            )
        )
    return cards


def last_lesson(*, person: Person) -> LessonProgress | None:
    """The lesson to continue: the most recently watched one not yet complete."""
    return (
        LessonProgress.objects.filter(person=person, completed_at__isnull=True, lesson__live=True)
        .select_related("lesson")
        .order_by("-updated_at")
        .first()
    )


def open_courses_for(*, person: Person, limit: int = 20) -> list[CoursePage]:
    enrolled = Enrolment.objects.filter(person=person).values("course_id")
    return list(
        CoursePage.objects.live()
        .filter(open_enrolment=True)
        .exclude(pk__in=enrolled)
        .order_by("title")[:limit]
    )


def my_requirement(*, person: Person, year: int, today: datetime.date) -> RequirementStatus:
    [status] = requirement_status(
        people=Person.objects.filter(pk=person.pk), year=year, today=today
    )
    return status


def learner_dashboard(*, person: Person, today: datetime.date) -> dict:
    return {
        "cards": course_cards(person=person, today=today),
        "resume": last_lesson(person=person),
        "open_courses": open_courses_for(person=person),
        "requirement": my_requirement(person=person, year=today.year, today=today),
        "history": person_ledger_by_year(person=person),
    }

"""Template tags through which progress reaches content's course and lesson pages.

content never imports training: its templates load this library instead.
"""

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.shortcuts import resolve_url
from django.urls import reverse

from directory.selectors import person_for_user
from training.learning.selectors.ledger import course_progress_for
from training.learning.services.beats import person_sync
from training.models import LessonProgress

register = template.Library()


@register.inclusion_tag("training/learning/lesson_player.html", takes_context=True)
def lesson_player(context, lesson):
    """The lesson's video (or reading timer) wired to the heartbeat, resuming where it stopped."""
    request = context.get("request")
    person = person_for_user(request.user) if request is not None else None
    progress = None
    if person is not None:
        person_sync(person)  # what the player credited in Redis, where it resumes
        progress = LessonProgress.objects.filter(person=person, lesson=lesson).first()
    return {
        "lesson": lesson,
        "person": person,
        "progress": progress,
        "csrf_token": get_token(request) if person is not None else "",
        "heartbeat_url": reverse("learning:heartbeat"),
        "presence_url": reverse("learning:presence"),
        "interval": settings.LEARNING_HEARTBEAT_SECONDS,
        "required_seconds": lesson.required_seconds(),
        "login_url": resolve_url(settings.LOGIN_URL),
    }


@register.inclusion_tag("training/learning/course_progress.html", takes_context=True)
def course_progress(context, course):
    """The logged-in learner's progress in a course: lessons done, enrolment, due date."""
    request = context.get("request")
    person = person_for_user(request.user) if request is not None else None
    data = course_progress_for(person=person, course=course) if person is not None else None
    return {"course": course, "person": person, "progress": data, "request": request}

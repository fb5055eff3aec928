"""Offline sessions in the front office: 我的培训班 (the sessions a learner is invited to)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from directory.files import private_page
from directory.selectors import person_for_user
from training.sessions.selectors.scoping import sessions_of_person


@login_required
@private_page
def my_sessions(request):
    """Upcoming sessions first (soonest at the top), then past ones with the outcome."""
    person = person_for_user(request.user)
    upcoming, past = [], []
    if person is not None:
        now = timezone.now()
        for row in sessions_of_person(person).prefetch_related("session__materials"):
            (upcoming if row.session.ends_at >= now else past).append(row)
        upcoming.reverse()
    return render(
        request,
        "training/sessions/mine.html",
        {"person": person, "upcoming": upcoming, "past": past},
    )

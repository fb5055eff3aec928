"""A session's roster in the back office: who is invited, who signed in, and how."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from directory.identifiers import id_number_mask
from directory.selectors import sees_personal_data
from training.selectors_sessions import (
    attendance_visible_to,
    roster,
    sessions_editable_by,
    sessions_visible_to,
)


def _id_number(user, person) -> str:
    return (
        person.id_number if sees_personal_data(user, person) else id_number_mask(person.id_number)
    )


def session_roster(request, pk: int):
    session = get_object_or_404(sessions_visible_to(request.user), pk=pk)
    may_run = sessions_editable_by(request.user).filter(pk=pk).exists()
    # Organisers see the whole roster; others the rows of the people they look after.
    rows = roster(session) if may_run else attendance_visible_to(request.user, roster(session))
    people = [(row, _id_number(request.user, row.person)) for row in rows]
    return TemplateResponse(
        request,
        "training/admin/session_roster.html",
        {"session": session, "rows": people, "may_run": may_run},
    )

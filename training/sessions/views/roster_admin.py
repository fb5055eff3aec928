"""A session's roster in the back office: who is invited, who signed in, and how."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from directory.exports import Built, Masking, export_response
from directory.rights import role_may_archive
from training.sessions.models.sessions import AttendanceStatus, TrainingSession
from training.sessions.pdf import sign_in_sheet_pdf
from training.sessions.selectors.scoping import (
    attendance_visible_to,
    roster,
    sessions_editable_by,
    sessions_visible_to,
)
from training.sessions.services.attendance import attendance_mark, session_confirm

MARKS = [s for s in AttendanceStatus.choices if s[0] != AttendanceStatus.INVITED]


def _rows_for(user, session, masking: Masking | None = None) -> list:
    """Organisers see the whole roster; others the rows of the people they look after."""
    masking = masking or Masking(user)
    rows = roster(session)
    if not sessions_editable_by(user).filter(pk=session.pk).exists():
        rows = attendance_visible_to(user, rows)
    return [(row, masking.id_number(row.person)) for row in rows]


def session_roster(request, pk: int):
    session = get_object_or_404(sessions_visible_to(request.user), pk=pk)
    may_run = sessions_editable_by(request.user).filter(pk=pk).exists()
    people = _rows_for(request.user, session)
    return TemplateResponse(
        request,
        "training/sessions/admin/roster.html",
        {
            "session": session,
            "rows": people,
            "may_run": may_run,
            "may_mark": may_run and not session.confirmed_at,
            # Attendance is kept for its retention period: archived, not deleted.
            "may_archive": role_may_archive(request.user),
            "marks": MARKS,
            "photos": session.photos.order_by("uploaded_at", "pk"),
        },
    )


@require_POST
def attendance_mark_view(request, pk: int, attendance_pk: int):
    session = get_object_or_404(sessions_editable_by(request.user), pk=pk)
    row = get_object_or_404(session.attendances.select_related("session"), pk=attendance_pk)
    try:
        attendance_mark(
            user=request.user,
            attendance=row,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("%(name)s: marked.") % {"name": row.person.name})
    return redirect("session_roster", pk)


@require_POST
def session_confirm_view(request, pk: int):
    session = get_object_or_404(sessions_editable_by(request.user), pk=pk)
    try:
        credited = session_confirm(user=request.user, session=session)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request,
            _("Attendance confirmed; %(count)s people credited with study hours.")
            % {"count": credited},
        )
    return redirect("session_roster", pk)


def session_sheet_pdf(request, pk: int):
    """The printable 签到表 of the roster the user may see."""

    def build(sessions, masking):
        session = sessions.get()
        rows = _rows_for(request.user, session, masking)
        pdf = sign_in_sheet_pdf(
            session=session,
            rows=[
                (
                    row.person.name,
                    id_number,
                    row.person.employer.name if row.person.employer else "",
                )
                for row, id_number in rows
            ],
        )
        return Built(pdf, len(rows))

    return export_response(
        request,
        kind=_("Printable sign-in sheet (PDF)"),
        records=TrainingSession.objects.filter(pk=pk),
        build=build,
        filename=f"sign-in-sheet-{pk}.pdf",
        fmt="pdf",
        single=True,
    )

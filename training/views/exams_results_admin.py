"""An exam's results in the back office, and their XLSX export (formula-safe cells)."""

import io

import tablib
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.exports import row_safe
from directory.identifiers import id_number_mask
from directory.selectors import sees_personal_data
from directory.services import export_log
from training.selectors_exams import exams_visible_to
from training.selectors_exams_results import exam_results

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def exam_results_view(request, pk: int):
    if not request.user.has_perm("training.view_exam"):
        raise PermissionDenied
    exam = get_object_or_404(exams_visible_to(request.user), pk=pk)
    results = exam_results(exam=exam, user=request.user)
    if request.GET.get("format") == "xlsx":
        return _xlsx(request, results)
    return TemplateResponse(
        request, "training/admin/exam_results.html", {"exam": exam, "results": results}
    )


def _id_number(user, person) -> str:
    return (
        person.id_number if sees_personal_data(user, person) else id_number_mask(person.id_number)
    )


def _xlsx(request, results):
    people = tablib.Dataset(
        headers=[
            _("Name"),
            _("ID number"),
            _("Enterprise or department"),
            _("Best score"),
            _("Full marks"),
            _("Passed"),
            _("Attempts"),
        ],
        title=_("Results"),
    )
    for person, attempt, count in results.people:
        unit = (
            person.employer.name
            if person.employer_id
            else (person.department.name if person.department_id else "")
        )
        people.append(
            row_safe(
                [
                    person.name,
                    _id_number(request.user, person),
                    unit,
                    float(attempt.score or 0),
                    float(attempt.max_score),
                    _("Yes") if attempt.passed else _("No"),
                    count,
                ]
            )
        )
    units = tablib.Dataset(
        headers=[
            _("Enterprise or department"),
            _("Takers"),
            _("Passed"),
            _("Pass rate"),
            _("Average score"),
        ],
        title=_("By unit"),
    )
    for row in [results.overall, *results.units]:
        units.append(
            row_safe(
                [row.label, row.takers, row.passed, round(row.pass_rate, 3), float(row.average)]
            )
        )
    items = tablib.Dataset(
        headers=[_("Question"), _("Type"), _("Asked"), _("Share right"), _("Discrimination")],
        title=_("Questions"),
    )
    for row in results.items:
        items.append(
            row_safe(
                [
                    row.stem,
                    row.qtype,
                    row.asked,
                    round(row.share_right, 3),
                    "" if row.discrimination is None else row.discrimination,
                ]
            )
        )
    export_log(
        user=request.user,
        kind=_("Exam results"),
        rows=len(results.people),
        personal_data=any(sees_personal_data(request.user, p) for p, _a, _c in results.people),
        query=request.GET.urlencode(),
    )
    book = tablib.Databook([people, units, items])
    filename = f"exam-{results.exam.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        io.BytesIO(book.export("xlsx")), as_attachment=True, content_type=XLSX, filename=filename
    )

"""An exam's results in the back office, and their XLSX export (formula-safe cells)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from directory.exports import Sheet, export_response
from directory.files import private_page
from training.exams.models.papers import Exam
from training.exams.selectors.results import exam_results
from training.exams.selectors.scoping import exams_visible_to


@private_page
def exam_results_view(request, pk: int):
    if not request.user.has_perm("training.view_exam"):
        raise PermissionDenied
    exam = get_object_or_404(exams_visible_to(request.user), pk=pk)
    if request.GET.get("format") == "xlsx":
        return _xlsx(request, exam)
    results = exam_results(exam=exam, user=request.user)
    return TemplateResponse(
        request, "training/exams/admin/results.html", {"exam": exam, "results": results}
    )


def _xlsx(request, exam):
    def build(exams, masking):
        return _sheets(exam_results(exam=exams.get(), user=request.user), masking)

    return export_response(
        request,
        kind=_("Exam results"),
        records=Exam.objects.filter(pk=exam.pk),
        build=build,
        filename=f"exam-{exam.pk}-{timezone.localdate():%Y%m%d}.xlsx",
        fmt="xlsx",
        single=True,
    )


def _sheets(results, masking) -> list[Sheet]:
    people = Sheet(
        _("Results"),
        [
            pgettext("person", "Name"),
            _("ID number"),
            _("Enterprise or department"),
            _("Best score"),
            _("Full marks"),
            _("Passed"),
            _("Attempts"),
        ],
        [],
    )
    for person, attempt, count in results.people:
        unit = (
            person.employer.name
            if person.employer_id
            else (person.department.name if person.department_id else "")
        )
        people.rows.append(
            [
                person.name,
                masking.id_number(person),
                unit,
                float(attempt.score or 0),
                float(attempt.max_score),
                _("Yes") if attempt.passed else _("No"),
                count,
            ]
        )
    units = Sheet(
        _("By unit"),
        [
            _("Enterprise or department"),
            _("Takers"),
            _("Passed"),
            _("Pass rate"),
            _("Average score"),
        ],
        [
            [row.label, row.takers, row.passed, round(row.pass_rate, 3), float(row.average)]
            for row in [results.overall, *results.units]
        ],
    )
    items = Sheet(
        _("Questions"),
        [
            _("Question"),
            pgettext("question", "Type"),
            _("Asked"),
            _("Share right"),
            _("Discrimination"),
        ],
        [
            [
                row.stem,
                row.qtype,
                row.asked,
                round(row.share_right, 3),
                "" if row.discrimination is None else row.discrimination,
            ]
            for row in results.items
        ],
    )
    return [people, units, items]

"""The task lines as a section of the unit's monthly report (reports.sections), registered from
PlanConfig.ready()."""

from django.utils import timezone

from plan.progress.forms import ReportProgressForm
from plan.progress.selectors import report_task_lines
from plan.progress.services import progress_freeze, progress_save
from reports.sections import TaskCounts, report_section_register


class TaskProgressSection:
    key = "plan_progress"
    template_name = "plan/progress/report_section.html"

    def form(self, *, user, report, data=None, files=None) -> ReportProgressForm:
        lines = report_task_lines(report=report, today=timezone.localdate())
        return ReportProgressForm(lines=lines, data=data, files=files)

    def context(self, *, user, report, form, editable: bool) -> dict:
        if form is not None:
            rows = list(zip(form.lines, form.forms, strict=True))
        else:
            lines = report_task_lines(report=report, today=timezone.localdate())
            rows = [(line, None) for line in lines]
        return {"rows": rows, "report": report}

    def save(self, *, user, report, payload) -> None:
        progress_save(user=user, report=report, entries=payload, today=timezone.localdate())

    def freeze(self, *, user, report, today, cache=None) -> TaskCounts:
        return progress_freeze(report=report, today=today, items_cache=cache)


def section_register() -> None:
    report_section_register(TaskProgressSection())

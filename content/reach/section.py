"""The month's campaign activities of a unit as a read-only section of its monthly report
(reports.sections), registered from ContentConfig.ready(): a department's are those it organised,
a village's those that went into it. Nothing is typed here; the activities are entered on the
campaign pages."""

from content.reach.selectors import unit_month_activities
from reports.sections import TaskCounts, report_section_register


class _NothingToEdit:
    payload = None

    def is_valid(self) -> bool:
        return True


class ReachSection:
    key = "content_reach"
    template_name = "content/reach/report_section.html"

    def form(self, *, user, report, data=None, files=None):
        return _NothingToEdit()

    def context(self, *, user, report, form, editable: bool) -> dict:
        activities, showings, totals = unit_month_activities(
            department_id=report.department_id,
            village_id=report.village_id,
            year=report.year,
            month=report.month,
        )
        return {"activities": activities, "showings": showings, "totals": totals}

    def save(self, *, user, report, payload) -> None:
        return None

    def freeze(self, *, user, report, today, cache=None) -> TaskCounts:
        return TaskCounts()


def section_register() -> None:
    report_section_register(ReachSection())

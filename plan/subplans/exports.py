"""The sub-plan list of a round as a workbook, through the platform's one export path."""

from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from directory.exports import Sheet, export_response
from directory.messages import date_text
from plan.subplans.models import SubPlan, SubPlanRound
from plan.subplans.selectors import round_standings


def subplans_export(
    request, *, subplan_round: SubPlanRound, status: str | None
) -> HttpResponseBase:
    def build(records, masking):
        # Standings read the sub-plans through the same scoping selector as `records`.
        rows = []
        for standing in round_standings(subplan_round, viewer=request.user, status=status):
            on_time = standing.on_time
            rows.append(
                [
                    standing.unit.name,
                    _("Department") if standing.unit.kind == "department" else _("Village"),
                    str(standing.status_label),
                    date_text(standing.submitted_on) if standing.submitted_on else "",
                    "" if on_time is None else (_("Yes") if on_time else _("No")),
                    standing.subplan.version_count if standing.subplan else 0,
                ]
            )
        headers = [
            _("Member unit"),
            _("Kind"),
            _("Status"),
            _("Submitted"),
            _("On time"),
            _("Versions"),
        ]
        title = _("Sub-plans")
        return Sheet(title=title, headers=headers, rows=rows)

    return export_response(
        request,
        kind="subplans",
        records=SubPlan.objects.filter(round=subplan_round),
        build=build,
        filename=f"subplans-{subplan_round.pk}.xlsx",
        fmt="xlsx",
    )

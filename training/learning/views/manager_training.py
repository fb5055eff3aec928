"""The back-office list of newly appointed principals and safety managers not trained within the
months after taking the post (regulations.md §3), with its XLSX export through the one path."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.ui.tables import Column

from directory.export_jobs import Export, export_job_response, worker_export
from directory.exports import Sheet
from training.learning.selectors.manager_training import (
    MANAGER_TRAINING_COLUMNS,
    manager_training_candidates,
    manager_training_gaps,
    manager_training_gaps_rows,
)
from training.learning.views.gap_lists import GapListView, MaskedIdColumn, gap_list_export


class ManagerTrainingGapsView(GapListView):
    """Principals and safety managers who owe training within months of taking the post."""

    page_title = _("Training of new principals and safety managers")
    index_url_name = "manager_training_gaps:index"
    index_results_url_name = "manager_training_gaps:index_results"
    export_url_name = "manager_training_gaps:export"
    columns = [
        Column("person", label=pgettext_lazy("person", "Name")),
        MaskedIdColumn("id_number", label=_("ID number")),
        Column("person.employer", label=_("Enterprise"), accessor="person.employer"),
        Column("took_post_on", label=_("Took the post on")),
        Column("deadline", label=_("Deadline")),
        Column("required", label=_("Required study hours")),
        Column("credited", label=_("Credited study hours")),
        Column("state_label", label=_("Situation")),
    ]

    def select(self, **kwargs):
        return manager_training_gaps(**kwargs)

    def candidates(self, *, user, today, filters):
        return manager_training_candidates(user=user, filters=filters)


def manager_training_gaps_export(request):
    """The same list as XLSX, written by the worker."""
    return export_job_response(request, manager_training_gaps_export_xlsx)


@worker_export
def manager_training_gaps_export_xlsx(asked) -> Export:
    """The list's file, following the filters, the scoping and the masking."""

    def sheet(*, people, masking, filters):
        gaps = manager_training_gaps(user=asked.user, filters=filters, people=people)
        rows = manager_training_gaps_rows(gaps, masking)
        return Sheet("新任负责人培训", MANAGER_TRAINING_COLUMNS, rows)

    return gap_list_export(
        asked,
        kind=_("Training of new principals and safety managers"),
        filename="manager-training-gaps",
        sheet=sheet,
    )

"""The back-office list 消防安全培训: who owes fire-safety training under 公安部61号令 第三十六条
and has not had it (training.learning.selectors.fire_training), with its XLSX export."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.ui.tables import Column

from directory.export_jobs import Export, export_job_response, worker_export
from directory.exports import Sheet
from training.learning.selectors.fire_training import (
    FIRE_TRAINING_COLUMNS,
    fire_training_candidates,
    fire_training_gaps,
    fire_training_rows,
)
from training.learning.views.gap_lists import GapListView, MaskedIdColumn, gap_list_export


class FireTrainingGapsView(GapListView):
    """Staff of fire-safety key units and crowded places, and new staff, short of fire training."""

    page_title = _("Fire-safety training")
    index_url_name = "fire_training_gaps:index"
    index_results_url_name = "fire_training_gaps:index_results"
    export_url_name = "fire_training_gaps:export"
    columns = [
        Column("person", label=pgettext_lazy("person", "Name")),
        MaskedIdColumn("id_number", label=_("ID number")),
        Column("person.employer", label=_("Enterprise"), accessor="person.employer"),
        Column("requirement_label", label=_("Requirement")),
        Column("period_label", label=_("Period")),
        Column("deadline", label=_("Deadline")),
        Column("reason", label=_("Situation")),
    ]

    def select(self, **kwargs):
        return fire_training_gaps(**kwargs)

    def candidates(self, *, user, today, filters):
        return fire_training_candidates(user=user, today=today, filters=filters)


def fire_training_gaps_export(request):
    """The same list as XLSX, written by the worker."""
    return export_job_response(request, fire_training_gaps_export_xlsx)


@worker_export
def fire_training_gaps_export_xlsx(asked) -> Export:
    """The list's file, following the filters, the scoping and the masking."""

    def sheet(*, people, masking, filters):
        duties = fire_training_gaps(user=asked.user, filters=filters, people=people)
        return Sheet("消防安全培训", FIRE_TRAINING_COLUMNS, fire_training_rows(duties, masking))

    return gap_list_export(
        asked,
        kind=_("Fire-safety training"),
        filename="fire-training-gaps",
        sheet=sheet,
    )

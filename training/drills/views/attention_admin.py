"""The back office's list of drills due within 30 days or overdue, scoped like the report."""

from django.utils.translation import gettext_lazy as _

from training.drills.selectors.attention import AttentionRows
from training.drills.selectors.obligations import obligation_enterprises_for
from training.drills.views.obligations_admin import DrillObligationsView


class DrillAttentionView(DrillObligationsView):
    """What the reminders are about, live: the village's or department's enterprises to follow,
    counted and paged by the database (a district's town office follows 25,000)."""

    page_title = _("Due / overdue drills")
    header_icon = "warning"
    index_url_name = "drill_attention:index"
    index_results_url_name = "drill_attention:index_results"
    filterset_class = None

    def get_page_subtitle(self):
        return ""

    def get_queryset(self):
        return AttentionRows(obligation_enterprises_for(self.request.user), self.today)

"""The back office's drill obligations: each followed enterprise's duties for a year, per duty and
overall, filtered by state and by duty."""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import BaseListingView

from directory.models import Enterprise
from directory.views.paging import ChunkedRows, LookaheadPaginator
from training.drills.rules import DrillDuty
from training.drills.selectors.obligations import (
    DONE,
    OBLIGATION_STATES,
    drill_obligation_status,
    obligation_enterprises_for,
)


class ObligationFilterSet(WagtailFilterSet):
    # Read by the view, which computes the statuses; nothing here filters a queryset.
    year = django_filters.NumberFilter(label=_("Year"), method="keep")
    duty = django_filters.ChoiceFilter(label=_("Duty"), choices=DrillDuty.choices, method="keep")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=OBLIGATION_STATES, method="keep"
    )

    class Meta:
        model = Enterprise
        fields = []

    def keep(self, queryset, name, value):
        return queryset


class StatusColumn(Column):
    def get_value(self, instance):
        return instance.status_label


class DutyColumn(Column):
    """One duty's state: done, or due / overdue with its date; how often and why; — when not owed."""

    def __init__(self, duty: str, **kwargs):
        self.duty = duty
        super().__init__(f"duty_{duty}", label=DrillDuty(duty).label, **kwargs)

    def get_value(self, instance):
        state = instance.duties.get(self.duty)
        if state is None:
            return "—"
        often = _("each half year") if state.per_year == 2 else _("yearly")
        if state.reasons:
            often = _("%(often)s: %(reasons)s") % {
                "often": often,
                "reasons": "、".join(state.reasons),
            }
        if state.status == DONE:
            return f"{state.status_label}（{often}）"
        return _("%(state)s by %(date)s (%(often)s)") % {
            "state": state.status_label,
            "date": date_format(state.due_date, "DATE_FORMAT"),
            "often": often,
        }


class DrillObligationsView(BaseListingView):
    """Each visible active enterprise's drill duties in a year, per duty and overall."""

    page_title = _("Drill obligations")
    header_icon = "tasks"
    index_url_name = "drill_obligations:index"
    index_results_url_name = "drill_obligations:index_results"
    filterset_class = ObligationFilterSet
    paginate_by = 50
    # A district's 25,000 enterprises judged 2,000 at a time, as far as the page needs.
    paginator_class = LookaheadPaginator
    results_template_name = "directory/admin/index_results.html"
    columns = [
        Column("enterprise_name", label=_("Enterprise")),
        *(DutyColumn(duty) for duty in DrillDuty.values),
        StatusColumn("status", label=_("Status")),
        Column("due_date", label=_("Due date")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("training.view_drillrecord"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def _filter_value(self, name):
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data.get(name)
        return None

    @cached_property
    def year(self) -> int:
        year = self._filter_value("year")
        if year is None or not 2000 <= year <= 2100:
            return self.today.year
        return int(year)

    def get_page_subtitle(self):
        return str(self.year)

    def get_queryset(self):
        status, duty = self._filter_value("status") or None, self._filter_value("duty") or None

        def rows_of(ids):
            enterprises = Enterprise.objects.filter(pk__in=ids).order_by("name", "pk")
            return drill_obligation_status(
                enterprises=enterprises, year=self.year, today=self.today, status=status, duty=duty
            )

        keys = obligation_enterprises_for(self.request.user).order_by("name", "pk")
        return ChunkedRows(keys.values_list("pk", flat=True), rows_of, chunk=2000)

"""The 持证上岗 list in the back office: who lacks the certificate the post needs, with export."""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets.button import HeaderButton

from certificates.selectors.registry import (
    GAP_COLUMNS,
    certification_gap_candidates,
    certification_gaps,
    certification_gaps_rows,
)
from certificates.views.registry_admin import scoped_choices
from directory.choosers import enterprise_search_filter
from directory.export_jobs import Export, export_job_response, worker_export
from directory.exports import Sheet
from directory.identifiers import id_number_mask
from directory.models import Department, Enterprise, Person, Village
from directory.selectors import sees_personal_data
from directory.views.paging import ChunkedRows, LookaheadPaginator

# --- 持证上岗: who lacks the certificate the post needs ----------------------------------------


class GapFilterSet(WagtailFilterSet):
    # Read by the selector, which narrows the people; the choices come from the scoping.
    enterprise = enterprise_search_filter(
        _("Enterprise"), scoped_choices(Enterprise), method="keep"
    )
    lead_department = django_filters.ModelChoiceFilter(
        label=_("Lead department"), queryset=scoped_choices(Department), method="keep"
    )
    village = django_filters.ModelChoiceFilter(
        label=_("Village"), queryset=scoped_choices(Village), method="keep"
    )

    class Meta:
        model = Enterprise
        fields = []

    def keep(self, queryset, name, value):
        return queryset


def _require_gap_permission(request) -> None:
    if not request.user.has_perm("certificates.view_registeredcertificate"):
        raise PermissionDenied


def _gap_filters(filterset) -> dict:
    if not filterset.is_valid():
        return {}
    return {
        name: value.pk for name, value in filterset.form.cleaned_data.items() if value is not None
    }


class MaskedIdColumn(Column):
    def get_value(self, instance):
        request = self.request
        person = instance.person
        if sees_personal_data(request.user, person):
            return person.id_number
        return id_number_mask(person.id_number)

    def get_cell_context_data(self, instance, parent_context):
        self.request = parent_context["request"]
        return super().get_cell_context_data(instance, parent_context)


class CertificationGapsView(BaseListingView):
    """Everyone in post whose role needs a certificate and who has no valid one (持证上岗)."""

    page_title = _("Certification gaps")
    header_icon = "warning"
    index_url_name = "certification_gaps:index"
    index_results_url_name = "certification_gaps:index_results"
    filterset_class = GapFilterSet
    paginate_by = 50
    # Judged a chunk of people at a time, as far as the page needs (directory.views.paging).
    paginator_class = LookaheadPaginator
    results_template_name = "directory/admin/index_results.html"
    columns = [
        Column("person", label=pgettext_lazy("person", "Name")),
        MaskedIdColumn("id_number", label=_("ID number")),
        Column("person.employer", label=_("Enterprise"), accessor="person.employer"),
        Column("needs_label", label=_("Certificate needed")),
        Column("state_label", label=_("Situation")),
        Column("deadline", label=pgettext_lazy("certificate", "Deadline")),
    ]

    def dispatch(self, request, *args, **kwargs):
        _require_gap_permission(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def get_queryset(self):
        user, filters = self.request.user, _gap_filters(self.filters)

        def rows_of(ids):
            people = Person.objects.filter(pk__in=ids)
            return certification_gaps(user=user, today=self.today, filters=filters, people=people)

        keys = certification_gap_candidates(user=user, filters=filters).values_list("pk", flat=True)
        return ChunkedRows(keys, rows_of)

    @cached_property
    def header_buttons(self):
        query = self.request.GET.urlencode()
        url = reverse("certification_gaps:export") + (f"?{query}" if query else "")
        return [HeaderButton(_("Download XLSX"), url=url, icon_name="download")]


def certification_gaps_export(request):
    """The same list as XLSX, written by the worker."""
    return export_job_response(request, certification_gaps_xlsx)


@worker_export
def certification_gaps_xlsx(asked) -> Export:
    """The list's file, following the filters, the scoping and the masking."""
    _require_gap_permission(asked)
    filterset = GapFilterSet(asked.GET, request=asked)

    def build(people, masking):
        gaps = certification_gaps(user=asked.user, filters=_gap_filters(filterset), people=people)
        return Sheet("持证上岗", GAP_COLUMNS, certification_gaps_rows(gaps, masking))

    return Export(
        kind=_("Certification gaps"),
        records=Person.objects.all(),
        build=build,
        filename=f"certification-gaps-{timezone.localdate():%Y%m%d}.xlsx",
    )

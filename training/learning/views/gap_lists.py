"""What the learning gap lists of the back office share: the filters (enterprise, lead department,
village; choices from the viewer's scope), the ID-number column masked as the viewer's rights
say, the listing view with its XLSX button, and the export through the one path.

A list is a `GapListView` subclass naming its selector; its export (written by the worker)
calls `gap_list_export`.
"""

import datetime
from collections.abc import Callable

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets.button import HeaderButton

from directory.choosers import enterprise_search_filter
from directory.export_jobs import Export
from directory.exports import Sheet
from directory.identifiers import id_number_mask
from directory.models import Department, Enterprise, Person, Village
from directory.selectors import sees_personal_data, visible_to
from directory.views.paging import ChunkedRows, LookaheadPaginator

# Who sees a learning gap list: whoever may read the study-hours ledger (each in their scope).
PERMISSION = "training.view_studyhourentry"


def _scoped(model):
    def queryset(request):
        return visible_to(getattr(request, "user", None), model)

    return queryset


class GapFilterSet(WagtailFilterSet):
    # Read by the selector, which narrows the people; the choices come from the scoping.
    enterprise = enterprise_search_filter(_("Enterprise"), _scoped(Enterprise), method="keep")
    lead_department = django_filters.ModelChoiceFilter(
        label=_("Lead department"), queryset=_scoped(Department), method="keep"
    )
    village = django_filters.ModelChoiceFilter(
        label=_("Village"), queryset=_scoped(Village), method="keep"
    )

    class Meta:
        model = Enterprise
        fields = []

    def keep(self, queryset, name, value):
        return queryset


def gap_filters(filterset) -> dict:
    """The chosen filters as primary keys (training.learning.selectors.gap_filters)."""
    if not filterset.is_valid():
        return {}
    return {
        name: value.pk for name, value in filterset.form.cleaned_data.items() if value is not None
    }


def require_permission(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


class MaskedIdColumn(Column):
    """The row's person's ID number, whole only for a viewer who may see it."""

    def get_value(self, instance):
        person = instance.person
        if sees_personal_data(self.request.user, person):
            return person.id_number
        return id_number_mask(person.id_number)

    def get_cell_context_data(self, instance, parent_context):
        self.request = parent_context["request"]
        return super().get_cell_context_data(instance, parent_context)


class GapListView(BaseListingView):
    """A gap list: `select(user=, today=, filters=)` gives the rows; `export_url_name` the file."""

    header_icon = "warning"
    filterset_class = GapFilterSet
    paginate_by = 50
    export_url_name = ""

    # Judged a chunk of people at a time, as far as the page needs (directory.views.paging).
    paginator_class = LookaheadPaginator
    results_template_name = "directory/admin/index_results.html"

    def select(self, *, user, today: datetime.date, filters: dict, people) -> list:
        raise NotImplementedError

    def candidates(self, *, user, today: datetime.date, filters: dict):
        """The people `select` judges, in its order."""
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        require_permission(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def get_queryset(self):
        user, filters = self.request.user, gap_filters(self.filters)

        def rows_of(ids):
            people = Person.objects.filter(pk__in=ids)
            return self.select(user=user, today=self.today, filters=filters, people=people)

        keys = self.candidates(user=user, today=self.today, filters=filters)
        return ChunkedRows(keys.values_list("pk", flat=True), rows_of)

    @cached_property
    def header_buttons(self):
        query = self.request.GET.urlencode()
        url = reverse(self.export_url_name) + (f"?{query}" if query else "")
        return [HeaderButton(_("Download XLSX"), url=url, icon_name="download")]


def gap_list_export(
    asked,
    *,
    kind,
    filename: str,
    sheet: Callable[..., Sheet],
) -> Export:
    """The list as XLSX for the worker (directory.export_jobs), following the filters, the
    scoping (the people the path hands over) and the masking; `sheet(people=, masking=,
    filters=)` builds it. `asked`: the request, or what the worker was asked with."""
    require_permission(asked)
    filters = gap_filters(GapFilterSet(asked.GET, request=asked))

    def build(people, masking):
        return sheet(people=people, masking=masking, filters=filters)

    return Export(
        kind=kind,
        records=Person.objects.all(),
        build=build,
        filename=f"{filename}-{timezone.localdate():%Y%m%d}.xlsx",
    )

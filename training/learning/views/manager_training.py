"""The back-office list of newly appointed principals and safety managers not trained within the
months after taking the post (regulations.md §3), with its XLSX export through the one path."""

import datetime

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

from directory.exports import Sheet, export_response
from directory.identifiers import id_number_mask
from directory.models import Department, Enterprise, Person, Village
from directory.selectors import sees_personal_data, visible_to
from training.learning.selectors.manager_training import (
    MANAGER_TRAINING_COLUMNS,
    manager_training_gaps,
    manager_training_gaps_rows,
)

PERMISSION = "training.view_studyhourentry"


def _scoped(model):
    def queryset(request):
        return visible_to(getattr(request, "user", None), model)

    return queryset


class ManagerTrainingFilterSet(WagtailFilterSet):
    # Read by the selector, which narrows the people; the choices come from the scoping.
    enterprise = django_filters.ModelChoiceFilter(
        label=_("Enterprise"), queryset=_scoped(Enterprise), method="keep"
    )
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


def _require_permission(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _filters(filterset) -> dict:
    if not filterset.is_valid():
        return {}
    return {
        name: value.pk for name, value in filterset.form.cleaned_data.items() if value is not None
    }


class MaskedIdColumn(Column):
    def get_value(self, instance):
        person = instance.person
        if sees_personal_data(self.request.user, person):
            return person.id_number
        return id_number_mask(person.id_number)

    def get_cell_context_data(self, instance, parent_context):
        self.request = parent_context["request"]
        return super().get_cell_context_data(instance, parent_context)


class ManagerTrainingGapsView(BaseListingView):
    """Principals and safety managers who owe training within months of taking the post."""

    page_title = _("Training of new principals and safety managers")
    header_icon = "warning"
    index_url_name = "manager_training_gaps:index"
    index_results_url_name = "manager_training_gaps:index_results"
    filterset_class = ManagerTrainingFilterSet
    paginate_by = 50
    columns = [
        Column("person", label=_("Name")),
        MaskedIdColumn("id_number", label=_("ID number")),
        Column("person.employer", label=_("Enterprise"), accessor="person.employer"),
        Column("took_post_on", label=_("Took the post on")),
        Column("deadline", label=_("Deadline")),
        Column("required", label=_("Required study hours")),
        Column("credited", label=_("Credited study hours")),
        Column("state_label", label=_("Situation")),
    ]

    def dispatch(self, request, *args, **kwargs):
        _require_permission(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def get_queryset(self):
        return manager_training_gaps(
            user=self.request.user, today=self.today, filters=_filters(self.filters)
        )

    @cached_property
    def header_buttons(self):
        query = self.request.GET.urlencode()
        url = reverse("manager_training_gaps:export") + (f"?{query}" if query else "")
        return [HeaderButton(_("Download XLSX"), url=url, icon_name="download")]


def manager_training_gaps_export(request):
    """The same list as XLSX, following the filters, the scoping and the masking."""
    _require_permission(request)
    filterset = ManagerTrainingFilterSet(request.GET, request=request)

    def build(people, masking):
        gaps = manager_training_gaps(user=request.user, filters=_filters(filterset), people=people)
        rows = manager_training_gaps_rows(gaps, masking)
        return Sheet("新任负责人培训", MANAGER_TRAINING_COLUMNS, rows)

    return export_response(
        request,
        kind=_("Training of new principals and safety managers"),
        records=Person.objects.all(),
        build=build,
        filename=f"manager-training-gaps-{timezone.localdate():%Y%m%d}.xlsx",
        fmt="xlsx",
    )

"""Targets and exemplary enterprises in the back office: scoped lists, written by the town office."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic

from directory.models import Enterprise
from directory.selectors import editable_by
from directory.views.admin import RegistryViewSet, ScopedEditView
from reports.models import ExemplaryEnterprise, Target
from reports.services.targets import exemplary_save, target_save


class TargetForm(WagtailAdminModelForm):
    class Meta:
        model = Target
        fields = [
            "metric",
            "year",
            "scope",
            "department",
            "village",
            "target_percent",
            "target_count",
            "deadline",
            "note",
        ]


class ExemplaryForm(WagtailAdminModelForm):
    class Meta:
        model = ExemplaryEnterprise
        fields = ["enterprise", "year", "named_on", "reasons", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = editable_by(self.for_user, Enterprise)


def _saving_through(service, argument):
    """Create and edit views whose save goes through the service."""

    class Create(generic.CreateView):
        def save_instance(self):
            return service(user=self.request.user, **{argument: self.form.instance})

    class Edit(ScopedEditView):
        def save_instance(self):
            return service(user=self.request.user, **{argument: self.form.instance})

    return Create, Edit


TargetCreateView, TargetEditView = _saving_through(target_save, "target")
ExemplaryCreateView, ExemplaryEditView = _saving_through(exemplary_save, "exemplary")


class TargetViewSet(RegistryViewSet):
    model = Target
    form_class = TargetForm
    add_view_class = TargetCreateView
    edit_view_class = TargetEditView
    inspect_view_enabled = False
    icon = "crosshairs"
    name = "coverage_targets"
    url_prefix = "reports/targets"
    menu_label = _("Targets")
    list_display = [
        "metric",
        "year",
        "scope",
        "department",
        "village",
        "target_percent",
        "target_count",
        "deadline",
        "source",
    ]
    list_select_related = ("department", "village")
    list_filter = ["year", "metric", "scope", "source"]


class ExemplaryViewSet(RegistryViewSet):
    model = ExemplaryEnterprise
    form_class = ExemplaryForm
    add_view_class = ExemplaryCreateView
    edit_view_class = ExemplaryEditView
    inspect_view_enabled = False
    icon = "pick"
    name = "exemplary_enterprises"
    url_prefix = "reports/exemplary"
    list_display = ["enterprise", "year", "named_on", "reasons"]
    list_select_related = ("enterprise",)
    list_filter = ["year"]
    search_fields = ["enterprise__name"]

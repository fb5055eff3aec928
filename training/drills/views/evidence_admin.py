"""Drill evidence in the back office: uploads checked like the phone's, files behind the scoping."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from directory.views.admin import RegistryViewSet, ScopedEditView, ScopedInspectView
from training.common.evidence import inspect_evidence
from training.drills.models.evidence import DrillEvidence
from training.drills.selectors.records import drill_records_editable_by
from training.drills.services.follow_up import drill_evidence_add, drill_evidence_replace


def evidence_url(evidence: DrillEvidence) -> str:
    return reverse("training:evidence_file", args=[evidence.pk])


def captured_display(evidence: DrillEvidence) -> str:
    if evidence.captured_at is None:
        return str(_("No capture time in the file"))
    return date_format(localtime(evidence.captured_at), "DATETIME_FORMAT")


class DrillEvidenceForm(WagtailAdminModelForm):
    class Meta:
        model = DrillEvidence
        fields = ["record", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "record" in self.fields:
            records = drill_records_editable_by(self.for_user).select_related("enterprise")
            self.fields["record"].queryset = records

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):
            try:
                inspect_evidence(upload)
            except ValidationError as error:
                raise ValidationError(error.message_dict["file"]) from None
        return upload


class DrillEvidenceEditForm(DrillEvidenceForm):
    class Meta:
        model = DrillEvidence
        fields = ["file"]


class DrillEvidenceCreateView(generic.CreateView):
    def save_instance(self):
        (evidence,) = drill_evidence_add(
            user=self.request.user,
            record=self.form.cleaned_data["record"],
            uploads=[self.form.cleaned_data["file"]],
        )
        return evidence


class DrillEvidenceEditView(ScopedEditView):
    def save_instance(self):
        evidence = DrillEvidence.objects.get(pk=self.object.pk)
        upload = self.form.cleaned_data["file"]
        if not hasattr(upload, "content_type"):
            return evidence  # no new file chosen
        return drill_evidence_replace(user=self.request.user, evidence=evidence, upload=upload)


class DrillEvidenceInspectView(ScopedInspectView):
    fields = [
        "record",
        "kind",
        "original_name",
        "content_type",
        "size",
        "captured_at",
        "uploaded_by",
        "uploaded_at",
        "file",
    ]

    def get_captured_at_display_value(self):
        return captured_display(self.object)

    def get_file_display_value(self):
        url = evidence_url(self.object)
        if self.object.kind == "photo":
            return format_html(
                '<a href="{}"><img src="{}" alt="{}" style="max-width:24rem"></a>',
                url,
                url,
                self.object.original_name,
            )
        return format_html('<video src="{}" controls style="max-width:24rem"></video>', url)


class CapturedColumn(Column):
    def get_value(self, instance):
        return captured_display(instance)


class FileLinkColumn(Column):
    def get_value(self, instance):
        return format_html('<a href="{}">{}</a>', evidence_url(instance), _("Open"))


class DrillEvidenceViewSet(RegistryViewSet):
    model = DrillEvidence
    add_view_class = DrillEvidenceCreateView
    edit_view_class = DrillEvidenceEditView
    inspect_view_class = DrillEvidenceInspectView
    icon = "image"
    name = "drill_evidence"
    url_prefix = "drills/evidence"
    list_display = [
        "record",
        "kind",
        "original_name",
        CapturedColumn("captured_at", label=_("Captured at")),
        FileLinkColumn("file", label=_("File")),
    ]
    list_select_related = ("record__enterprise",)
    list_filter = ["kind"]
    search_fields = ["record__enterprise__name", "original_name"]

    def get_form_class(self, for_update=False):
        return DrillEvidenceEditForm if for_update else DrillEvidenceForm

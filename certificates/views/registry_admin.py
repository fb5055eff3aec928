"""Registered certificates in the back office: the 持证上岗 list with its export, and the screens."""

import datetime

import django_filters
import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets.button import HeaderButton

from certificates.forms import (
    AttachmentForm,
    CertificateReviewForm,
    PostAbsenceForm,
    RegisteredCertificateForm,
)
from certificates.models import (
    CertificateAttachment,
    CertificateReview,
    CertificateType,
    PostAbsence,
    RegisteredCertificate,
)
from certificates.rules import CertificateStatus
from certificates.selectors.registry import (
    GAP_COLUMNS,
    certification_gaps,
    certification_gaps_rows,
    registered_certificates_editable_by,
    registered_certificates_visible_to,
    with_status,
)
from certificates.services.registry import (
    certificate_attachment_add,
    certificate_register,
    certificate_review_delete,
    certificate_review_record,
    certificate_review_update,
    certificate_update,
    post_absence_record,
    post_absence_update,
)
from directory.identifiers import id_number_mask
from directory.models import Department, Enterprise, Village
from directory.selectors import sees_personal_data, visible_to
from directory.views.admin import (
    XLSX_CONTENT_TYPE,
    RegistryViewSet,
    ScopedDeleteView,
    ScopedEditView,
    ScopedIndexView,
    ScopedInspectView,
)

# --- 持证上岗: who lacks the certificate the post needs ----------------------------------------


def _visible(model):
    def queryset(request):
        return visible_to(getattr(request, "user", None), model)

    return queryset


class GapFilterSet(WagtailFilterSet):
    # Read by the selector, which narrows the people; the choices come from the scoping.
    enterprise = django_filters.ModelChoiceFilter(
        label=_("Enterprise"), queryset=_visible(Enterprise), method="keep"
    )
    lead_department = django_filters.ModelChoiceFilter(
        label=_("Lead department"), queryset=_visible(Department), method="keep"
    )
    village = django_filters.ModelChoiceFilter(
        label=_("Village"), queryset=_visible(Village), method="keep"
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
    columns = [
        Column("person", label=_("Name")),
        MaskedIdColumn("id_number", label=_("ID number")),
        Column("person.employer", label=_("Enterprise"), accessor="person.employer"),
        Column("needs_label", label=_("Certificate needed")),
        Column("state_label", label=_("Situation")),
        Column("deadline", label=_("Deadline")),
    ]

    def dispatch(self, request, *args, **kwargs):
        _require_gap_permission(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def get_queryset(self):
        return certification_gaps(
            user=self.request.user, today=self.today, filters=_gap_filters(self.filters)
        )

    @cached_property
    def header_buttons(self):
        query = self.request.GET.urlencode()
        url = reverse("certification_gaps:export") + (f"?{query}" if query else "")
        return [HeaderButton(_("Download XLSX"), url=url, icon_name="download")]


def certification_gaps_export(request):
    """The same list as XLSX, following the filters, the scoping and the masking."""
    _require_gap_permission(request)
    filterset = GapFilterSet(request.GET, request=request)
    gaps = certification_gaps(user=request.user, filters=_gap_filters(filterset))
    dataset = tablib.Dataset(*certification_gaps_rows(gaps, request.user), headers=GAP_COLUMNS)
    dataset.title = "持证上岗"
    filename = f"certification-gaps-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        iter([dataset.export("xlsx")]),
        as_attachment=True,
        content_type=XLSX_CONTENT_TYPE,
        filename=filename,
    )


# --- registered certificates, reviews, absences ----------------------------------------------


class StatusColumn(Column):
    labels = dict(CertificateStatus.choices)

    def get_value(self, instance):
        return self.labels.get(getattr(instance, "status", None), "")


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CertificateStatus.choices, empty_label=_("All")
    )
    certificate_type = django_filters.ModelChoiceFilter(
        label=_("Certificate type"), queryset=_visible(CertificateType), empty_label=_("All")
    )

    class Meta:
        model = RegisteredCertificate
        fields = ["status", "certificate_type"]


class CertificateIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return with_status(super().get_base_queryset())


class CertificateCreateView(generic.CreateView):
    def save_instance(self):
        return certificate_register(
            user=self.request.user, person=self.form.holder, **self.form.card_fields()
        )


class CertificateEditView(ScopedEditView):
    def save_instance(self):
        return certificate_update(user=self.request.user, certificate=self.form.instance)


class CertificateInspectView(ScopedInspectView):
    template_name = "certificates/registry/inspect.html"
    fields = [
        "person",
        "certificate_type",
        "operation",
        "scope",
        "number",
        "issuing_authority",
        "first_issued_on",
        "valid_until",
        "expires_on",
        "review_due_on",
        "review_extended_on",
        "invalid_since",
        "invalid_reason",
        "revoked_on",
        "revoked_reason",
    ]

    def get_object(self, queryset=None):
        certificate = super().get_object(queryset)
        certificate.status = (
            with_status(RegisteredCertificate.objects.filter(pk=certificate.pk))
            .values_list("status", flat=True)
            .get()
        )
        return certificate

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.object
        context.update(
            status_label=StatusColumn.labels[certificate.status],
            reviews=certificate.reviews.all(),
            absences=certificate.absences.all(),
            attachments=certificate.attachments.all(),
            can_edit=self.is_editable,
            attachment_form=AttachmentForm(),
            review_add_url=reverse("certificate_reviews:add") + f"?certificate={certificate.pk}",
            absence_add_url=reverse("post_absences:add") + f"?certificate={certificate.pk}",
        )
        return context


class RegisteredCertificateViewSet(RegistryViewSet):
    model = RegisteredCertificate
    form_class = RegisteredCertificateForm
    index_view_class = CertificateIndexView
    add_view_class = CertificateCreateView
    edit_view_class = CertificateEditView
    inspect_view_class = CertificateInspectView
    icon = "doc-full"
    name = "registered_certificates"
    url_prefix = "certificates/registered"
    menu_label = _("Registered certificates")
    list_display = [
        "person",
        "certificate_type",
        Column("work_label", label=_("Operation")),
        "number",
        "expires_on",
        "review_due_on",
        StatusColumn("status", label=_("Status")),
    ]
    list_select_related = ("person", "certificate_type", "operation")
    filterset_class = CertificateFilterSet
    search_fields = ["person__name", "number"]
    exact_search_fields = ["person__id_number"]
    export_kind = "certificates"
    export_filename = "certificates"


class ChildCreateView(generic.CreateView):
    """Adds a review or an absence to the certificate named by `?certificate=`."""

    service = None

    def get_initial(self):
        return {**super().get_initial(), "certificate": self.request.GET.get("certificate")}

    def save_instance(self):
        return type(self).service(user=self.request.user, **self.form.cleaned_fields())

    def get_success_url(self):
        certificate = self.form.cleaned_data["certificate"]
        return reverse("registered_certificates:inspect", args=[certificate.pk])


class ReviewCreateView(ChildCreateView):
    service = staticmethod(certificate_review_record)


class ReviewEditView(ScopedEditView):
    def save_instance(self):
        return certificate_review_update(user=self.request.user, review=self.form.instance)


class ReviewDeleteView(ScopedDeleteView):
    def delete_action(self):
        certificate_review_delete(user=self.request.user, review=self.object)


class AbsenceCreateView(ChildCreateView):
    service = staticmethod(post_absence_record)


class AbsenceEditView(ScopedEditView):
    def save_instance(self):
        return post_absence_update(user=self.request.user, absence=self.form.instance)


class CertificateReviewViewSet(RegistryViewSet):
    model = CertificateReview
    form_class = CertificateReviewForm
    add_view_class = ReviewCreateView
    edit_view_class = ReviewEditView
    delete_view_class = ReviewDeleteView
    icon = "calendar-check"
    name = "certificate_reviews"
    url_prefix = "certificates/reviews"
    list_display = ["certificate", "reviewed_on", "result", "training_hours"]
    list_select_related = ("certificate__person", "certificate__certificate_type")
    list_filter = ["result"]
    search_fields = ["certificate__person__name", "certificate__number"]


class PostAbsenceViewSet(RegistryViewSet):
    model = PostAbsence
    form_class = PostAbsenceForm
    add_view_class = AbsenceCreateView
    edit_view_class = AbsenceEditView
    icon = "time"
    name = "post_absences"
    url_prefix = "certificates/absences"
    list_display = ["certificate", "left_on", "returned_on", "practical_exam_passed_on"]
    list_select_related = ("certificate__person", "certificate__certificate_type")
    search_fields = ["certificate__person__name", "certificate__number"]


# --- scans of the card -----------------------------------------------------------------------


@require_POST
def attachment_upload(request, pk):
    certificate = get_object_or_404(
        registered_certificates_editable_by(request.user).select_related("person"), pk=pk
    )
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            certificate_attachment_add(
                user=request.user, certificate=certificate, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Scan attached."))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect("registered_certificates:inspect", certificate.pk)


def attachment_download(request, pk):
    scan = get_object_or_404(
        CertificateAttachment.objects.filter(
            certificate__in=registered_certificates_visible_to(request.user).values("pk")
        ),
        pk=pk,
    )
    return FileResponse(scan.file.open("rb"), content_type=scan.content_type)

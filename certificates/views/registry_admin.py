"""Registered certificates in the back office: the 持证上岗 list with its export, and the screens."""

import django_filters
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from certificates.forms import (
    AttachmentForm,
    CertificateReviewForm,
    CertificateViolationForm,
    PostAbsenceForm,
    RegisteredCertificateForm,
)
from certificates.models import (
    CertificateAttachment,
    CertificateReview,
    CertificateType,
    CertificateViolation,
    PostAbsence,
    RegisteredCertificate,
)
from certificates.rules import CertificateStatus, holder_age_warning
from certificates.selectors.registry import (
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
    certificate_violation_record,
    certificate_violation_update,
    post_absence_record,
    post_absence_update,
)
from directory.files import stored_file_response
from directory.forms import RegistryForm
from directory.selectors import visible_to
from directory.views.admin import (
    RegistryViewSet,
    ScopedDeleteView,
    ScopedEditView,
    ScopedIndexView,
    ScopedInspectView,
)


def scoped_choices(model):
    def queryset(request):
        return visible_to(getattr(request, "user", None), model)

    return queryset


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
        label=_("Certificate type"), queryset=scoped_choices(CertificateType), empty_label=_("All")
    )

    class Meta:
        model = RegisteredCertificate
        fields = ["status", "certificate_type"]


class CertificateIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return with_status(super().get_base_queryset())


class ServiceErrorsMixin:
    """A refusal the services raise (ValidationError) shows on the form; nothing is written."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


def age_warning_of(certificate: RegisteredCertificate) -> str | None:
    """第四条: the holder's age at the first issue, when out of range (a warning, not a refusal)."""
    person = certificate.person
    return holder_age_warning(
        birth_date=person.birth_date, sex=person.sex, first_issued_on=certificate.first_issued_on
    )


class CertificateCreateView(ServiceErrorsMixin, generic.CreateView):
    def save_instance(self):
        certificate = certificate_register(
            user=self.request.user, person=self.form.holder, **self.form.card_fields()
        )
        warning = age_warning_of(certificate)
        if warning:
            messages.warning(self.request, warning)
        return certificate


class CertificateEditView(ServiceErrorsMixin, ScopedEditView):
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
            age_warning=age_warning_of(certificate),
            violations=certificate.violations.all(),
            violation_add_url=reverse("certificate_violations:add")
            + f"?certificate={certificate.pk}",
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


class ChildCreateView(ServiceErrorsMixin, generic.CreateView):
    """Adds a review or an absence to the certificate named by `?certificate=`."""

    service = None

    def get_initial(self):
        return {**super().get_initial(), "certificate": self.request.GET.get("certificate")}

    def save_instance(self):
        return type(self).service(user=self.request.user, **self.form.cleaned_fields())

    def get_success_url(self):
        certificate = self.form.cleaned_data["certificate"]
        return reverse("registered_certificates:inspect", args=[certificate.pk])


def late_review_warning(request, review: CertificateReview) -> None:
    """第二十六条: a review after its due date is recorded, and the screen says what follows."""
    if review.is_late:
        review.certificate.refresh_from_db()
        messages.warning(
            request,
            _(
                "Recorded as late: the review was due on %(due)s. The certificate is invalid "
                "since %(since)s (第二十六条)."
            )
            % {
                "due": review.due_on.isoformat(),
                "since": (review.certificate.invalid_since or review.due_on).isoformat(),
            },
        )


class ReviewCreateView(ChildCreateView):
    service = staticmethod(certificate_review_record)

    def save_instance(self):
        review = super().save_instance()
        late_review_warning(self.request, review)
        return review


class ReviewEditView(ServiceErrorsMixin, ScopedEditView):
    def save_instance(self):
        review = certificate_review_update(user=self.request.user, review=self.form.instance)
        late_review_warning(self.request, review)
        return review


class ViolationCreateView(ChildCreateView):
    service = staticmethod(certificate_violation_record)


class ViolationEditView(ServiceErrorsMixin, ScopedEditView):
    def save_instance(self):
        return certificate_violation_update(user=self.request.user, violation=self.form.instance)


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


class CertificateViolationViewSet(RegistryViewSet):
    model = CertificateViolation
    form_class = CertificateViolationForm
    add_view_class = ViolationCreateView
    edit_view_class = ViolationEditView
    icon = "warning"
    name = "certificate_violations"
    url_prefix = "certificates/violations"
    list_display = [
        "certificate",
        "occurred_on",
        "description",
        "serious_consequences",
        "administrative_penalty",
    ]
    list_select_related = ("certificate__person", "certificate__certificate_type")
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
    return stored_file_response(
        scan.file, content_type=scan.content_type, filename=scan.download_name
    )


# --- the certificate types (validity and review rules as data) -------------------------------


class CertificateTypeForm(RegistryForm):
    class Meta:
        model = CertificateType
        fields = [
            "name",
            "validity_years",
            "review_interval_years",
            "extended_review_interval_years",
            "issuer",
            "source",
        ]


class CertificateTypeViewSet(RegistryViewSet):
    """The town office corrects a type's rules here; the daily job re-derives every card."""

    model = CertificateType
    form_class = CertificateTypeForm
    icon = "list-ul"
    name = "certificate_types"
    url_prefix = "certificates/types"
    list_display = ["name", "validity_years", "review_interval_years", "qualifies", "source"]
    # The code is the programs' key for the type (certificates.catalogue), not for reading.
    inspect_view_fields_exclude = ["code"]

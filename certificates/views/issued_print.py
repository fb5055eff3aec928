"""Printing issued certificates in the back office: the list's filters become a batch that a
Celery task renders, and the batch's page polls its progress until the file can be downloaded."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from certificates.models import (
    CertificateBatch,
    CertificateKind,
    CertificateStatus,
    IssuedCertificate,
)
from certificates.selectors.issued import (
    certificate_batches_visible_to,
    issued_certificates_visible_to,
)
from certificates.services.issued_batches import certificate_batch_create, certificate_batch_retry
from config.site import request_origin
from directory.choosers import enterprise_search_filter
from directory.exports import stored_export_response
from directory.jobs import job_progress
from directory.models import Enterprise
from directory.selectors import enterprises_visible_to

# --- filters: shared by the list and by printing what it shows -----------------------------


def _enterprises(request):
    if request is None:
        return Enterprise.objects.none()
    return enterprises_visible_to(request.user)


class IssuedCertificateFilterSet(WagtailFilterSet):
    title = django_filters.CharFilter(label=_("Achievement"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CertificateKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CertificateStatus.choices)
    issued_on = django_filters.DateFromToRangeFilter(
        label=_("Date issued"), widget=DateRangePickerWidget
    )
    employer = enterprise_search_filter(
        _("Enterprise"), _enterprises, field_name="holder__employer"
    )

    class Meta:
        model = IssuedCertificate
        fields = []


def filtered_certificates(request):
    """What the list shows for these query parameters (scoped, then filtered)."""
    filters = IssuedCertificateFilterSet(
        request.GET, queryset=issued_certificates_visible_to(request.user), request=request
    )
    if not filters.is_valid():
        raise ValidationError(_("The filters are not valid."))
    return filters.qs


# --- batch printing --------------------------------------------------------------------------


class PrintForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=CertificateBatch.Format.choices,
        widget=forms.RadioSelect,
        initial=CertificateBatch.Format.PDF,
    )


def _require_print(request):
    if not request.user.has_perm("certificates.add_certificatebatch"):
        raise PermissionDenied


def print_certificates(request):
    """Confirm printing the filtered list, then start the batch."""
    _require_print(request)
    try:
        certificates = filtered_certificates(request)
    except ValidationError:
        raise Http404 from None
    form = PrintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = certificate_batch_create(
                user=request.user,
                certificates=certificates,
                format=form.cleaned_data["format"],
                site_url=request_origin(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("issued_certificates:batch", batch.pk)
    return TemplateResponse(
        request,
        "certificates/issued/print.html",
        {
            "form": form,
            "count": certificates.count(),
            "query": urlencode(request.GET, doseq=True),
            "batches": certificate_batches_visible_to(request.user)[:10],
        },
    )


def _batch(request, pk) -> CertificateBatch:
    # Scope first: another account's batch is "not found", whatever this account may do.
    batch = get_object_or_404(certificate_batches_visible_to(request.user), pk=pk)
    _require_print(request)
    return batch


def batch_detail(request, pk):
    return TemplateResponse(
        request, "certificates/issued/batch.html", {"batch": _batch(request, pk)}
    )


def batch_progress(request, pk):
    return JsonResponse(job_progress(_batch(request, pk)))


@require_POST
def batch_retry(request, pk):
    """Queue a failed or interrupted batch again; it resumes from the parts already stored."""
    batch = _batch(request, pk)
    try:
        certificate_batch_retry(batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The job was queued again."))
    return redirect("issued_certificates:batch", batch.pk)


def _own_batches(user, records):
    return certificate_batches_visible_to(user).filter(pk__in=records.values("pk"))


def batch_download(request, pk):
    """The batch's file through the one export path: scoped, logged (the certificates show
    masked ID numbers only)."""
    batch = _batch(request, pk)
    if batch.status != CertificateBatch.Status.DONE:
        raise Http404
    return stored_export_response(
        request,
        kind=_("Certificate print batch"),
        records=CertificateBatch.objects.filter(pk=batch.pk),
        scope=_own_batches,
        file_of=lambda record: record.file,
        rows_of=lambda record: record.total,
        personal_data_of=lambda record: False,
        filename=f"certificates-{batch.pk}.{batch.format}",
        fmt=batch.format,
    )

"""Issued certificates in the back office: scoped list, issue by hand, revoke, re-issue, print.

Printing takes the list's current filters (e.g. everyone with one exam's certificate) and turns
them into a batch rendered by a Celery task, whose page polls its progress.
"""

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import Button, HeaderButton

from certificates.models import (
    CertificateStatus,
    IssuedCertificate,
)
from certificates.selectors.issued import (
    certificate_holders_for,
    issued_certificates_editable_by,
)
from certificates.services.issued import (
    certificate_issue_by_officer,
    certificate_reissue,
    certificate_revoke,
)
from certificates.views.issued_print import (
    IssuedCertificateFilterSet,
    batch_detail,
    batch_download,
    batch_progress,
    batch_retry,
    print_certificates,
)
from directory.identifiers import id_number_mask
from directory.selectors import sees_personal_data
from directory.views.admin import RegistryViewSet, ScopedIndexView, ScopedInspectView

# --- forms and views -------------------------------------------------------------------------


class IssueForm(WagtailAdminModelForm):
    class Meta:
        model = IssuedCertificate
        fields = ["holder", "title", "hours", "issued_on", "valid_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = certificate_holders_for(self.for_user).select_related(
            "employer"
        )


class IssueView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return certificate_issue_by_officer(
            user=self.request.user,
            holder=data["holder"],
            title=data["title"],
            hours=data["hours"],
            issued_on=data["issued_on"],
            valid_until=data["valid_until"],
        )


class CertificateIndexView(ScopedIndexView):
    """Rows change only through revoke / re-issue; the header prints what is listed."""

    def get_edit_url(self, instance):
        return None

    def get_delete_url(self, instance):
        return None

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        query = self.request.GET.copy()
        query.pop("p", None)
        url = reverse("issued_certificates:print")
        buttons.append(
            HeaderButton(
                _("Print the listed certificates"),
                url=f"{url}?{query.urlencode()}" if query else url,
                icon_name="doc-full",
            )
        )
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            Button(
                _("Download PDF"),
                url=reverse("certificates_issued:download", args=[instance.pk]),
                icon_name="download",
                priority=40,
            )
        )
        return buttons


class CertificateInspectView(ScopedInspectView):
    fields = [
        "number",
        "holder",
        "title",
        "kind",
        "hours",
        "issued_on",
        "valid_until",
        "issued_by",
        "status",
        "revoked_reason",
        "revoked_at",
        "superseded_by",
    ]

    def get_holder_display_value(self):
        holder = self.object.holder
        number = holder.id_number
        if not sees_personal_data(self.request.user, holder):
            number = id_number_mask(number)
        return f"{holder.name}（{number}）"

    @cached_property
    def header_more_buttons(self):
        buttons = [
            Button(
                _("Download PDF"),
                url=reverse("certificates_issued:download", args=[self.object.pk]),
                icon_name="download",
                priority=5,
            )
        ]
        if self.is_editable and self.object.status != CertificateStatus.SUPERSEDED:
            buttons.append(
                Button(
                    _("Re-issue"),
                    url=reverse("issued_certificates:reissue", args=[self.object.pk]),
                    icon_name="repeat",
                    priority=10,
                )
            )
        if self.is_editable and self.object.status == CertificateStatus.VALID:
            buttons.append(
                Button(
                    _("Revoke"),
                    url=reverse("issued_certificates:revoke", args=[self.object.pk]),
                    icon_name="cross",
                    priority=20,
                )
            )
        if archive := self.archive_button():
            buttons.append(archive)
        return buttons

    def get_edit_url(self):
        return None

    def get_delete_url(self):
        return None


class NoEditView(generic.EditView):
    """Issued certificates are not edited: a mistake is corrected by re-issuing."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("issued_certificates:inspect", unquote(str(kwargs["pk"])))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"), widget=forms.Textarea, max_length=500
    )


class ReissueForm(forms.Form):
    title = forms.CharField(label=_("Achievement"), max_length=200)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=6, decimal_places=1)
    valid_until = forms.DateField(label=_("Valid until"), required=False)


def _editable(request, pk) -> IssuedCertificate:
    return get_object_or_404(
        issued_certificates_editable_by(request.user).select_related("holder"), pk=pk
    )


def _action(request, pk, *, form_class, initial, apply, title):
    certificate = _editable(request, pk)
    form = form_class(request.POST or None, initial=initial(certificate))
    if request.method == "POST" and form.is_valid():
        try:
            result = apply(certificate, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("issued_certificates:inspect", result.pk)
    return TemplateResponse(
        request,
        "certificates/issued/action.html",
        {"certificate": certificate, "form": form, "page_title": title},
    )


def revoke(request, pk):
    def apply(certificate, data):
        done = certificate_revoke(user=request.user, certificate=certificate, reason=data["reason"])
        messages.success(request, _("Certificate %(number)s revoked.") % {"number": done.number})
        return done

    return _action(
        request, pk, form_class=RevokeForm, initial=lambda c: {}, apply=apply, title=_("Revoke")
    )


def reissue(request, pk):
    def apply(certificate, data):
        new = certificate_reissue(
            user=request.user,
            certificate=certificate,
            title=data["title"],
            hours=data["hours"],
            valid_until=data["valid_until"],
        )
        messages.success(
            request,
            _("Certificate %(new)s issued in place of %(old)s.")
            % {"new": new.number, "old": certificate.number},
        )
        return new

    return _action(
        request,
        pk,
        form_class=ReissueForm,
        initial=lambda c: {"title": c.title, "hours": c.hours, "valid_until": c.valid_until},
        apply=apply,
        title=_("Re-issue"),
    )


class IssuedCertificateViewSet(RegistryViewSet):
    model = IssuedCertificate
    form_class = IssueForm
    add_view_class = IssueView
    edit_view_class = NoEditView
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    icon = "doc-full-inverse"
    name = "issued_certificates"
    url_prefix = "certificates/issued"
    menu_label = _("Issued certificates")
    # In the menu of the roles that issue them (town office, department officers); the others
    # reach the list from a holder's page or a link, with what they may see.
    add_to_admin_menu = True
    menu_order = 225
    add_item_label = _("Issue a certificate")
    list_display = [
        "number",
        Column("holder", label=_("Holder")),
        "title",
        "kind",
        "issued_on",
        "valid_until",
        "status",
    ]
    list_select_related = ("holder",)
    filterset_class = IssuedCertificateFilterSet
    search_fields = ["number", "holder__name", "title"]

    @cached_property
    def menu_item_class(self):
        class IssuerMenuItem(MenuItem):
            def is_shown(self, request):
                return request.user.has_perm("certificates.add_issuedcertificate")

        return IssuerMenuItem

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("revoke/<str:pk>/", revoke, name="revoke"),
            path("reissue/<str:pk>/", reissue, name="reissue"),
            path("print/", print_certificates, name="print"),
            path("batches/<int:pk>/", batch_detail, name="batch"),
            path("batches/<int:pk>/progress/", batch_progress, name="batch_progress"),
            path("batches/<int:pk>/retry/", batch_retry, name="batch_retry"),
            path("batches/<int:pk>/download/", batch_download, name="batch_download"),
        ]

"""Certificates in Wagtail's back office."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSetGroup

from certificates.views.catalogue_admin import OperationCategoryViewSet, SpecialOperationViewSet
from certificates.views.issued_admin import IssuedCertificateViewSet
from certificates.views.post_admin import PostRequirementViewSet
from certificates.views.registry_admin import (
    CertificateReviewViewSet,
    CertificateTypeViewSet,
    CertificateViolationViewSet,
    PostAbsenceViewSet,
    RegisteredCertificateViewSet,
    attachment_download,
    attachment_upload,
)
from certificates.views.registry_gaps import CertificationGapsView, certification_gaps_export

# --- the registry of government-issued certificates ------------------------------------------

REGISTRY_MENU_HOOK = "register_certificate_registry_menu_item"


class CertificateRegistryViewSetGroup(ModelViewSetGroup):
    menu_label = _("Certificate registry")
    menu_icon = "doc-full"
    menu_order = 220
    submenu_hook = REGISTRY_MENU_HOOK
    items = (
        RegisteredCertificateViewSet,
        CertificateReviewViewSet,
        CertificateViolationViewSet,
        PostAbsenceViewSet,
        CertificateTypeViewSet,
        PostRequirementViewSet,
        OperationCategoryViewSet,
        SpecialOperationViewSet,
    )


@hooks.register("register_admin_viewset")
def register_certificate_registry_viewsets():
    return CertificateRegistryViewSetGroup()


@hooks.register("register_admin_urls")
def register_certificate_registry_urls():
    gaps = [
        path("", CertificationGapsView.as_view(), name="index"),
        path("results/", CertificationGapsView.as_view(results_only=True), name="index_results"),
        path("export.xlsx", certification_gaps_export, name="export"),
    ]
    scans = [
        path("<int:pk>/upload/", attachment_upload, name="upload"),
        path("download/<int:pk>/", attachment_download, name="download"),
    ]
    return [
        path(
            "certificates/gaps/",
            include((gaps, "certification_gaps"), namespace="certification_gaps"),
        ),
        path(
            "certificates/scans/",
            include((scans, "certificate_scans"), namespace="certificate_scans"),
        ),
    ]


class CertificationGapsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("certificates.view_registeredcertificate")


@hooks.register(REGISTRY_MENU_HOOK)
def register_certification_gaps_menu_item():
    return CertificationGapsMenuItem(
        _("Certification gaps"),
        reverse("certification_gaps:index"),
        name="certification-gaps",
        icon_name="warning",
        order=100,
    )


# --- the platform's own issued certificates --------------------------------------------------


@hooks.register("register_admin_viewset")
def register_issued_certificates_viewset():
    return IssuedCertificateViewSet()

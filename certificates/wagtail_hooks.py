"""Certificates in Wagtail's back office."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from certificates.views.registry_admin import CertificationGapsView, certification_gaps_export

# --- the registry of government-issued certificates ------------------------------------------


@hooks.register("register_admin_urls")
def register_certification_gap_urls():
    urlpatterns = [
        path("", CertificationGapsView.as_view(), name="index"),
        path("results/", CertificationGapsView.as_view(results_only=True), name="index_results"),
        path("export.xlsx", certification_gaps_export, name="export"),
    ]
    return [
        path(
            "certificates/gaps/",
            include((urlpatterns, "certification_gaps"), namespace="certification_gaps"),
        )
    ]


class CertificationGapsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("certificates.view_registeredcertificate")


@hooks.register("register_admin_menu_item")
def register_certification_gaps_menu_item():
    return CertificationGapsMenuItem(
        _("Certification gaps"),
        reverse("certification_gaps:index"),
        name="certification-gaps",
        icon_name="warning",
        order=220,
    )

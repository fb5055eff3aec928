"""Certificates in Wagtail's back office."""

from wagtail import hooks

from certificates.views.issued_admin import IssuedCertificateViewSet


@hooks.register("register_admin_viewset")
def register_issued_certificates_viewset():
    return IssuedCertificateViewSet()

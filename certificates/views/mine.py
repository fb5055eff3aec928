"""我的证书: a person's registered cards and the platform's issued certificates, with downloads."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path

from certificates.models import CertificateAttachment
from certificates.rules import CertificateStatus
from certificates.selectors.issued import issued_certificates_for_person
from certificates.selectors.registry import (
    registered_certificates_for_person,
    registered_certificates_visible_to,
)
from directory.files import private_page, stored_file_response
from directory.selectors import person_for_user


@login_required
@private_page
def my_certificates(request):
    person = person_for_user(request.user)
    registered = list(registered_certificates_for_person(person)) if person else []
    for card in registered:
        card.status_label = CertificateStatus(card.status).label
    issued = list(issued_certificates_for_person(person)) if person else []
    return render(
        request,
        "certificates/mine.html",
        {"person": person, "registered": registered, "issued": issued},
    )


@login_required
def scan_download(request, pk: int):
    """A scan of a registered card, for whoever may see the card (the holder first of all)."""
    visible = registered_certificates_visible_to(request.user).order_by().values("pk")
    scan = get_object_or_404(CertificateAttachment.objects.filter(certificate__in=visible), pk=pk)
    return stored_file_response(
        scan.file, content_type=scan.content_type, filename=scan.download_name
    )


app_name = "certificates_mine"
urlpatterns = [
    path("", my_certificates, name="index"),
    path("scans/<int:pk>/", scan_download, name="scan"),
]

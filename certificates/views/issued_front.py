"""The holder's own certificate as a PDF (linked from "我的证书"); scoped like every list."""

import io

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext as _

from certificates.models import IssuedCertificate
from certificates.pdf import certificate_content, certificate_pdf_write
from directory.exports import export_response


@login_required
def certificate_download(request, pk: int):
    """The holder, the holder's enterprise manager and officers in scope; others get 404."""

    def build(certificates, masking):
        # certificate_content masks the ID number whoever asks: no whole number is printed.
        buffer = io.BytesIO()
        certificate_pdf_write(buffer, certificate_content(certificates.get(), request))
        return buffer.getvalue()

    certificates = IssuedCertificate.objects.filter(pk=pk).select_related("holder")
    number = certificates.values_list("number", flat=True).first() or pk
    return export_response(
        request,
        kind=_("Issued certificate (PDF)"),
        records=certificates,
        build=build,
        filename=f"{number}.pdf",
        fmt="pdf",
        single=True,
        inline=False,
    )


app_name = "certificates_issued"
urlpatterns = [path("<int:pk>/pdf/", certificate_download, name="download")]

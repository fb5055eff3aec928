"""The holder's own certificate as a PDF (linked from "我的证书"); scoped like every list."""

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from certificates.pdf import certificate_content, certificate_pdf_write
from certificates.selectors.issued import issued_certificates_visible_to


@login_required
def certificate_download(request, pk: int):
    """The holder, the holder's enterprise manager and officers in scope; others get 404."""
    certificate = get_object_or_404(
        issued_certificates_visible_to(request.user).select_related("holder"), pk=pk
    )
    buffer = io.BytesIO()
    certificate_pdf_write(buffer, certificate_content(certificate))
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )


app_name = "certificates_issued"
urlpatterns = [path("<int:pk>/pdf/", certificate_download, name="download")]

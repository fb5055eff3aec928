"""A certificate scan is what it claims: a PDF pypdf reads, or a picture Pillow reads and writes
again. HTML dressed as a PDF, polyglots, garbage and oversized files are refused in Chinese with
nothing stored; what is accepted is stored under a generated name without any trailing payload."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from certificates.models import CertificateAttachment
from certificates.services import registry
from certificates.services.registry import certificate_attachment_add
from directory.constants import AccountRole
from tests.factories.certificates import special_certificate
from tests.upload_files import image_bytes, pdf_bytes

HTML = b"<html><body><script>fetch('/admin/people/').then(r=>r.text())</script></body></html>"
HTML_AS_PDF = b"%PDF-1.7\n" + HTML


@pytest.fixture
def certificate(town):
    return special_certificate(town["person_a"])


def _scans_on_disk() -> list[Path]:
    root = Path(storages["private"].location) / "certificates" / "registry"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture(autouse=True)
def _empty_scan_folder():
    for path in _scans_on_disk():
        path.unlink()


def add(certificate, name, data):
    return certificate_attachment_add(
        user=None, certificate=certificate, upload=SimpleUploadedFile(name, data)
    )


def refusal(certificate, name, data) -> str:
    with pytest.raises(ValidationError) as error:
        add(certificate, name, data)
    assert not CertificateAttachment.objects.exists()
    assert _scans_on_disk() == []
    return " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("card.pdf", HTML_AS_PDF),
        ("card.pdf", b"%PDF-1.4\n%%EOF"),  # a header and nothing readable
        ("card.pdf", b"%PDF-1.4\n<!DOCTYPE html>" + pdf_bytes()[9:]),  # markup up front
        ("card.jpg", b"\xff\xd8\xff\xe0" + HTML),  # a JPEG header and HTML
        ("card.png", b"MZ\x90\x00 garbage"),
        ("card.html", HTML),
        ("card.gif", b"GIF89a\x01\x00\x01\x00" + HTML),  # a picture, not of an accepted kind
    ],
)
def test_what_is_not_a_pdf_or_a_picture_is_refused_in_chinese(certificate, name, data):
    message = refusal(certificate, name, data)
    assert f"“{name}”" in message
    assert "扫描件须为 PDF、JPEG 或 PNG 文件" in message


def test_html_as_pdf_gets_a_reason(certificate):
    assert "不是可读取的 PDF" in refusal(certificate, "card.pdf", HTML_AS_PDF)


def test_an_oversized_scan_is_refused_naming_the_limit(certificate, monkeypatch):
    monkeypatch.setattr(registry, "ATTACHMENT_MAX_BYTES", 1024)
    message = refusal(certificate, "card.pdf", pdf_bytes() + b"\n" * 2048)
    assert "“card.pdf”" in message and "1.0" in message and "KB" in message


def test_a_real_pdf_is_accepted_under_a_generated_name(certificate):
    scan = add(certificate, "张三 身份证.pdf", pdf_bytes("scan of the card"))
    assert scan.content_type == "application/pdf"
    assert "张三" not in scan.file.name and scan.file.name.endswith(".pdf")
    with scan.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) == 1
    assert "scan of the card" in reader.pages[0].extract_text()


def test_a_pdf_with_html_appended_is_stored_without_it(certificate):
    scan = add(certificate, "card.pdf", pdf_bytes() + HTML)
    with scan.file.open("rb") as handle:
        stored = handle.read()
    assert b"<script" not in stored and b"<html" not in stored
    assert len(PdfReader(io.BytesIO(stored)).pages) == 1


def test_a_pdf_that_opens_a_script_loses_it(certificate):
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('x')"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = action
    buffer = io.BytesIO()
    writer.write(buffer)
    scan = add(certificate, "card.pdf", buffer.getvalue())
    with scan.file.open("rb") as handle:
        stored = handle.read()
    assert b"app.alert" not in stored and b"/OpenAction" not in stored


@pytest.mark.parametrize(("fmt", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png")])
def test_a_real_picture_is_accepted(certificate, fmt, content_type):
    scan = add(certificate, "card.bin", image_bytes(fmt))
    assert scan.content_type == content_type
    with scan.file.open("rb") as handle, Image.open(handle) as image:
        assert image.format == fmt and image.size == (64, 48)


def test_a_jpeg_with_trailing_html_is_reencoded_without_the_payload(certificate):
    scan = add(certificate, "card.jpg", image_bytes("JPEG") + HTML)
    assert scan.content_type == "image/jpeg"
    with scan.file.open("rb") as handle:
        stored = handle.read()
    assert stored.startswith(b"\xff\xd8") and stored.rstrip(b"\x00").endswith(b"\xff\xd9")
    assert b"<script" not in stored and b"<html" not in stored


def test_the_back_office_upload_shows_the_reason_and_stores_nothing(client, accounts, certificate):
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    url = reverse("certificate_scans:upload", args=[certificate.pk])
    response = client.post(url, {"file": SimpleUploadedFile("card.pdf", HTML_AS_PDF)})
    assert response.status_code in (200, 302)
    page = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
    page += response.content.decode()
    assert "“card.pdf”" in page and "PDF" in page
    assert not certificate.attachments.exists() and _scans_on_disk() == []

    client.post(url, {"file": SimpleUploadedFile("card.pdf", pdf_bytes())})
    scan = certificate.attachments.get()
    download = client.get(reverse("certificate_scans:download", args=[scan.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("inline;")

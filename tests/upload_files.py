"""Real files for upload tests: a one-page PDF drawn by reportlab, pictures saved by Pillow (as
bytes or as uploads, with EXIF capture times when asked), and video container headers."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from reportlab.pdfgen import canvas

EXIF_IFD = 0x8769


def pdf_bytes(text: str = "scan") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def image_bytes(fmt: str = "JPEG", size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, fmt)
    return buffer.getvalue()


def photo(name="drill.jpg", *, fmt="JPEG", content_type="image/jpeg", captured=None, offset=None):
    image = Image.new("RGB", (64, 48), "red")
    buffer = io.BytesIO()
    options = {}
    if captured:
        exif = Image.Exif()
        details = {36867: captured}
        if offset:
            details[36881] = offset
        exif[EXIF_IFD] = details
        options["exif"] = exif
    image.save(buffer, fmt, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
MOV_HEAD = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  "
WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01"


def video(name="drill.mp4", head=MP4_HEAD, content_type="video/mp4", size=2048):
    return SimpleUploadedFile(name, head + b"\x00" * size, content_type=content_type)

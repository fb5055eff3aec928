"""Real files for upload tests: a one-page PDF drawn by reportlab, pictures saved by Pillow."""

import io

from PIL import Image
from reportlab.pdfgen import canvas


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

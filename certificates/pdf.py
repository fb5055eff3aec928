"""Issued certificates as PDFs: A4 landscape, embedded CJK font, a QR code to /verify/<code>/.

What is the same on every certificate (border, headings, labels, seal) is drawn once per document
into a Form XObject that each page reuses; a page then holds only the holder's data and the QR.
Batches write many certificates into one document (`CertificateWriter`) or one each.
"""

import dataclasses
import datetime
import io
from decimal import Decimal

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject
from reportlab.lib.pagesizes import A4, landscape

from certificates.models import IssuedCertificate
from config.pdf import cjk_font, pdf_canvas, qr_draw
from config.site import site_url
from directory.identifiers import id_number_mask

PAGE = landscape(A4)  # 842 x 595 points
WIDTH, HEIGHT = PAGE
FRAME = "certificate-frame"
SEAL_RED = (0.8, 0.1, 0.1)
QR_MASK = 0


@dataclasses.dataclass(frozen=True)
class CertificateContent:
    """What one certificate page says, read from the database once."""

    holder_name: str
    id_number: str  # already masked
    title: str
    hours: str
    issued_on: str
    valid_until: str
    number: str
    verify_url: str


def verify_url(code: str, request=None, origin: str = "") -> str:
    """The QR code's address: SITE_URL when set, else the download request's host, else the
    host a batch was asked from (`origin`, for the Celery worker); see config.site.site_url."""
    return site_url(request, origin) + reverse("certificates_verify:detail", args=[code])


def _date(value: datetime.date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else _("Long-term")


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}" if value is not None else "0"


def certificate_content(
    certificate: IssuedCertificate, request=None, origin: str = ""
) -> CertificateContent:
    """The page's text; the ID number is always masked on paper (it is shown to anyone).
    `request`: the download's, whose host the QR code points to when SITE_URL is unset;
    `origin`: for a batch rendered by the worker, the host the batch was asked from."""
    return CertificateContent(
        holder_name=certificate.holder.name,
        id_number=id_number_mask(certificate.holder.id_number),
        title=certificate.title,
        hours=_hours(certificate.hours),
        issued_on=_date(certificate.issued_on),
        valid_until=_date(certificate.valid_until),
        number=certificate.number,
        verify_url=verify_url(certificate.code, request, origin),
    )


# Layout: labels in the frame, values drawn per page at the same heights.
LABEL_X = 200
VALUE_X = 320
ROWS = ("holder_name", "id_number", "title", "hours", "issued_on", "valid_until", "number")
ROW_TOP = 385
ROW_STEP = 34


def _row_labels() -> dict[str, str]:
    return {
        "holder_name": _("Holder"),
        "id_number": _("ID number"),
        "title": _("Achievement"),
        "hours": _("Hours"),
        "issued_on": _("Date issued"),
        "valid_until": _("Valid until"),
        "number": _("Certificate number"),
    }


def _draw_frame(canvas) -> None:
    font = cjk_font()
    canvas.setStrokeColorRGB(0.55, 0.12, 0.12)
    canvas.setLineWidth(6)
    canvas.rect(24, 24, WIDTH - 48, HEIGHT - 48)
    canvas.setLineWidth(1.2)
    canvas.rect(36, 36, WIDTH - 72, HEIGHT - 72)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(font, 18)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 88, _("Xujing Town Work Safety Committee Office"))
    canvas.setFont(font, 34)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 140, _("Work-safety training certificate"))
    canvas.setFont(font, 14)
    for index, (_key, label) in enumerate(_row_labels().items()):
        canvas.drawString(LABEL_X, ROW_TOP - index * ROW_STEP, label + "：")
    canvas.setFont(font, 11)
    canvas.drawCentredString(110, 62, _("Scan to verify"))
    # The seal area: stamped by hand on printed copies.
    canvas.setStrokeColorRGB(*SEAL_RED)
    canvas.setFillColorRGB(*SEAL_RED)
    canvas.setLineWidth(2)
    canvas.circle(WIDTH - 170, 130, 62)
    canvas.setFont(font, 12)
    canvas.drawCentredString(WIDTH - 170, 134, _("Xujing Town Safety Office"))
    canvas.drawCentredString(WIDTH - 170, 114, _("(seal)"))


def _draw_page(canvas, content: CertificateContent) -> None:
    font = cjk_font()
    canvas.doForm(FRAME)
    canvas.setFillColorRGB(0, 0, 0)
    for index, key in enumerate(ROWS):
        value = getattr(content, key)
        if key == "hours":
            value = _("%(hours)s hours") % {"hours": value}
        canvas.setFont(font, 20 if key == "holder_name" else 14)
        canvas.drawString(VALUE_X, ROW_TOP - index * ROW_STEP, value)
    # A fixed mask: every certificate has a different code, so segno's mask search (~6 ms)
    # would be paid on each page.
    qr_draw(canvas, content.verify_url, x=50, y=76, size=120, mask=QR_MASK)
    canvas.showPage()


class CertificateWriter:
    """Many certificates into one PDF (one page each); the frame is drawn once per document."""

    def __init__(self, target, *, title: str = ""):
        self.canvas = pdf_canvas(target, pagesize=PAGE, title=title or _("Certificates"))
        self.canvas.beginForm(FRAME)
        _draw_frame(self.canvas)
        self.canvas.endForm()
        self.pages = 0

    def add(self, content: CertificateContent) -> None:
        _draw_page(self.canvas, content)
        self.pages += 1

    def close(self) -> None:
        self.canvas.save()


def certificate_pdf_write(target, contents: list[CertificateContent] | CertificateContent) -> None:
    """Write one certificate (or a few) as a PDF to a path or binary file."""
    if isinstance(contents, CertificateContent):
        contents = [contents]
    writer = CertificateWriter(target, title=contents[0].number if len(contents) == 1 else "")
    for content in contents:
        writer.add(content)
    writer.close()


# --- one large PDF with flat memory -----------------------------------------------------------
# reportlab keeps every page of a document in memory until save() (~25 KB a certificate, 250 MB
# for 10,000). A batch is therefore rendered in chunks of CHUNK_PAGES, and each chunk's objects
# are renumbered and appended to the output file at once; only their offsets stay in memory.

CHUNK_PAGES = 100
_CATALOG, _PAGES = 1, 2


class PdfConcatenator:
    """Appends the pages of small PDFs to one PDF file as they come (a streaming merge)."""

    def __init__(self, out):
        self.out = out
        self.offsets: dict[int, int] = {}
        self.kids: list[int] = []
        self.next_number = 3
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def _number(self, mapping: dict, pending: list, idnum: int) -> int:
        if idnum not in mapping:
            mapping[idnum] = self.next_number
            self.next_number += 1
            pending.append(idnum)
        return mapping[idnum]

    def _remap(self, obj, mapping: dict, pending: list):
        """Point every reference inside `obj` at its number in the output (in place)."""
        if isinstance(obj, IndirectObject):
            return IndirectObject(self._number(mapping, pending, obj.idnum), 0, None)
        if isinstance(obj, DictionaryObject):
            for key, value in list(obj.items()):
                obj[key] = self._remap(value, mapping, pending)
        elif isinstance(obj, ArrayObject):
            for index, value in enumerate(obj):
                obj[index] = self._remap(value, mapping, pending)
        return obj

    def _write(self, number: int, obj) -> None:
        self.offsets[number] = self.out.tell()
        self.out.write(b"%d 0 obj\n" % number)
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def append(self, source) -> int:
        """Copy every page of `source` (a path or file); returns the number of pages added."""
        reader = PdfReader(source)
        mapping: dict[int, int] = {}
        pending: list[int] = []
        for page in reader.pages:
            page.pop(NameObject("/Parent"), None)
            self.kids.append(self._number(mapping, pending, page.indirect_reference.idnum))
        while pending:
            idnum = pending.pop()
            obj = reader.get_object(idnum)
            self._remap(obj, mapping, pending)
            if isinstance(obj, DictionaryObject) and obj.get("/Type") == "/Page":
                obj[NameObject("/Parent")] = IndirectObject(_PAGES, 0, None)
            self._write(mapping[idnum], obj)
        return len(reader.pages)

    def close(self) -> None:
        kids = ArrayObject(IndirectObject(n, 0, None) for n in self.kids)
        pages = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): kids,
                NameObject("/Count"): NumberObject(len(self.kids)),
            }
        )
        self._write(_PAGES, pages)
        catalog = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): IndirectObject(_PAGES, 0, None),
            }
        )
        self._write(_CATALOG, catalog)
        xref = self.out.tell()
        size = self.next_number
        self.out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for number in range(1, size):
            self.out.write(b"%010d 00000 n \n" % self.offsets[number])
        self.out.write(
            b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
        )


def certificates_pdf_stream(out, contents) -> int:
    """Write any number of certificates as one PDF to the binary file `out`, CHUNK_PAGES at a time.

    `contents` is an iterable of CertificateContent (a generator keeps the input flat too).
    Returns the number of pages written.
    """
    merger = PdfConcatenator(out)
    chunk: list[CertificateContent] = []

    def flush():
        buffer = io.BytesIO()
        certificate_pdf_write(buffer, chunk)
        buffer.seek(0)
        merger.append(buffer)
        chunk.clear()

    for content in contents:
        chunk.append(content)
        if len(chunk) == CHUNK_PAGES:
            flush()
    if chunk:
        flush()
    merger.close()
    return len(merger.kids)

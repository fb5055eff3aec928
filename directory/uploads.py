"""Uploaded files judged by what they contain, and the names they are stored under.

Shared by every upload the platform keeps (certificate scans, drill evidence, session photos):

- an image must be read in full by Pillow, in a format that is accepted, and is then re-encoded:
  whatever followed the picture or hid in its metadata (an HTML or script payload, a polyglot's
  other half) is dropped; of the EXIF only the capture time is kept, the picture turned upright;
- a PDF must be opened by pypdf with at least one page and is written again from its object
  graph: bytes outside it (an appended HTML page) and document scripts are dropped;
- a Word document (DOCX) must be a ZIP whose parts declare and hold a document, without macros;
- the stored name is random, with the extension of the content's type, never the uploader's name
  (which may hold personal data or "../").

These are pure functions: they raise `UploadRefused` with a translated reason, which each caller
wraps in its own ValidationError naming the field and the file.
"""

import datetime
import io
import uuid
import zipfile

from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PDF_CONTENT_TYPE = "application/pdf"
# The file extension stored for each content type the platform keeps.
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
    PDF_CONTENT_TYPE: "pdf",
    "application/zip": "zip",
    "text/csv": "csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
EXIF_IFD = 0x8769
EXIF_DATETIME_ORIGINAL = 36867
EXIF_OFFSET_TIME_ORIGINAL = 36881
EXIF_DATETIME = 306
# Markup in the first bytes of a "PDF" makes it a polyglot a browser could render as a page.
_MARKUP = (b"<html", b"<!doctype", b"<script", b"<body", b"<svg", b"<iframe")
_IMAGE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


class UploadRefused(Exception):
    """The upload is not what it claims to be; `message` says why, for the uploader."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def stored_name(content_type: str) -> str:
    """A random file name with the extension of the content's type."""
    return f"{uuid.uuid4().hex}.{EXTENSIONS.get(content_type, 'bin')}"


def stored_name_for(filename: str, allowed: frozenset[str] | set[str]) -> str:
    """A random file name keeping the uploaded name's extension only if it is one of `allowed`."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"{uuid.uuid4().hex}.{extension if extension in allowed else 'bin'}"


def exif_time(image: Image.Image) -> datetime.datetime | None:
    """The picture's capture time from EXIF (DateTimeOriginal, else DateTime), if any."""
    exif = image.getexif()
    details = exif.get_ifd(EXIF_IFD)
    raw = details.get(EXIF_DATETIME_ORIGINAL) or exif.get(EXIF_DATETIME)
    if not isinstance(raw, str):
        return None
    text = raw.strip("\x00 ")
    offset = details.get(EXIF_OFFSET_TIME_ORIGINAL)
    if isinstance(offset, str) and offset.strip():
        try:
            return datetime.datetime.strptime(f"{text}{offset.strip()}", "%Y:%m:%d %H:%M:%S%z")
        except ValueError:
            pass
    try:
        # Cameras write local time without a zone: the town's.
        return datetime.datetime.strptime(text, "%Y:%m:%d %H:%M:%S").replace(
            tzinfo=timezone.get_current_timezone()
        )
    except ValueError:
        return None


def image_read(upload, *, formats: dict[str, str] = IMAGE_FORMATS):
    """(content type, capture time) of an image Pillow reads in full; the type is None when the
    picture is readable but not in one of `formats`."""
    unreadable = _("the picture cannot be read; it may be damaged or not a picture.")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            found = formats.get(image.format)
            captured_at = exif_time(image)
    except (*_IMAGE_ERRORS, Image.DecompressionBombError):
        raise UploadRefused(unreadable) from None
    finally:
        upload.seek(0)
    return found, captured_at


def _capture_exif(image: Image.Image) -> Image.Exif:
    """Only the capture time of the original's EXIF."""
    source = image.getexif()
    kept = Image.Exif()
    if EXIF_DATETIME in source:
        kept[EXIF_DATETIME] = source[EXIF_DATETIME]
    details = source.get_ifd(EXIF_IFD)
    wanted = {
        tag: details[tag]
        for tag in (EXIF_DATETIME_ORIGINAL, EXIF_OFFSET_TIME_ORIGINAL)
        if tag in details
    }
    if wanted:
        kept[EXIF_IFD] = wanted
    return kept


def image_reencode(upload, content_type: str) -> bytes:
    """The picture written again by Pillow in its own format: nothing but pixels and the time."""
    fmt = {v: k for k, v in IMAGE_FORMATS.items()}[content_type]
    try:
        upload.seek(0)
        with Image.open(upload) as original:
            exif = _capture_exif(original)
            image = ImageOps.exif_transpose(original)
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            buffer = io.BytesIO()
            options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
            image.save(buffer, fmt, exif=exif, **options)
    except (*_IMAGE_ERRORS, Image.DecompressionBombError):
        raise UploadRefused(
            _("the picture cannot be read; it may be damaged or not a picture.")
        ) from None
    finally:
        upload.seek(0)
    return buffer.getvalue()


def pdf_rewrite(upload) -> bytes:
    """A PDF pypdf opens with at least one page, written again from its objects (no scripts)."""
    not_pdf = _("the file is not a readable PDF.")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    head = data[:1024].lower()
    if not data.startswith(b"%PDF-") or any(tag in head for tag in _MARKUP):
        raise UploadRefused(not_pdf)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UploadRefused(_("the PDF is protected by a password."))
        if len(reader.pages) < 1:
            raise UploadRefused(not_pdf)
        reader.pages[0].mediabox  # noqa: B018 - the first page must parse, not just be counted
        writer = PdfWriter(clone_from=reader)
        root = writer._root_object
        for key in ("/OpenAction", "/AA", "/JavaScript"):
            root.pop(NameObject(key), None)
        names = root.get("/Names")
        if names is not None:
            names.get_object().pop(NameObject("/JavaScript"), None)
        out = io.BytesIO()
        writer.write(out)
    except UploadRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise UploadRefused(not_pdf) from None
    return out.getvalue()


def scan_prepare(upload, *, image_formats: dict[str, str]) -> tuple[str, bytes]:
    """(content type, bytes to store) of a scanned document: a PDF or a picture, else refused."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return PDF_CONTENT_TYPE, pdf_rewrite(upload)
    try:
        content_type, _captured_at = image_read(upload, formats=image_formats)
    except UploadRefused:
        content_type = None
    if content_type is None:
        raise UploadRefused(_("it is neither a readable PDF nor a picture."))
    return content_type, image_reencode(upload, content_type)


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# A Word document is a ZIP of XML parts; these bounds stop a "zip bomb" before it is inflated.
DOCX_MAX_PARTS = 2000
DOCX_MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def docx_read(upload) -> bytes:
    """The bytes of a Word document (DOCX) whose parts are what Word writes: a ZIP holding a
    content-types part that declares a document (not a macro-enabled one), and a document part
    that parses as XML. Macros (vbaProject.bin) are refused; the file is kept as uploaded."""
    return _ooxml_read(
        upload,
        main_part="word/document.xml",
        main_type=_DOCX_MAIN,
        unreadable=_("the file is not a readable Word document (DOCX)."),
        macros=_("the Word document contains macros."),
    )


_XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def xlsx_read(upload) -> bytes:
    """The bytes of an Excel workbook (XLSX), checked as `docx_read` checks a Word document (a
    macro-enabled workbook declares another main type and is refused); kept as uploaded."""
    return _ooxml_read(
        upload,
        main_part="xl/workbook.xml",
        main_type=_XLSX_MAIN,
        unreadable=_("the file is not a readable Excel workbook (XLSX)."),
        macros=_("the workbook contains macros."),
    )


def _ooxml_read(upload, *, main_part: str, main_type: str, unreadable: str, macros: str) -> bytes:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data.startswith(b"PK\x03\x04"):
        raise UploadRefused(unreadable)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if len(parts) > DOCX_MAX_PARTS or (
                sum(part.file_size for part in parts) > DOCX_MAX_UNPACKED_BYTES
            ):
                raise UploadRefused(unreadable)
            names = {part.filename for part in parts}
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise UploadRefused(macros)
            if "[Content_Types].xml" not in names or main_part not in names:
                raise UploadRefused(unreadable)
            types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
            declared = {
                element.get("ContentType")
                for element in types
                if element.get("PartName") == f"/{main_part}"
            }
            if declared != {main_type}:
                raise UploadRefused(unreadable)
            if archive.testzip() is not None:
                raise UploadRefused(unreadable)
            ElementTree.fromstring(archive.read(main_part))
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, DefusedXmlException, ValueError, OSError):
        raise UploadRefused(unreadable) from None
    except ElementTree.ParseError:
        raise UploadRefused(unreadable) from None
    return data

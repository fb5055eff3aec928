"""Checking a task's evidence file before it is stored: judged by what it contains.

A PDF is written again by pypdf and a picture re-encoded by Pillow, a Word or Excel document
must be what Word or Excel writes, without macros (all directory.uploads', as for certificate
scans and sub-plans). It is only ever handed back as a download (directory.files)."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from directory.files import XLSX_CONTENT_TYPE
from directory.uploads import (
    DOCX_CONTENT_TYPE,
    PDF_CONTENT_TYPE,
    UploadRefused,
    docx_read,
    image_read,
    image_reencode,
    pdf_rewrite,
    xlsx_read,
)

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
# The stored file's extension -> the type it is served with.
CONTENT_TYPES = {
    "pdf": PDF_CONTENT_TYPE,
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "docx": DOCX_CONTENT_TYPE,
    "xlsx": XLSX_CONTENT_TYPE,
}
_EXTENSION_OF = {
    PDF_CONTENT_TYPE: "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
}
# Office documents, checked by their parts.
_OFFICE_READERS = {"docx": docx_read, "xlsx": xlsx_read}


def _prepare(upload) -> tuple[str, bytes]:
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "pdf", pdf_rewrite(upload)
    if extension in _OFFICE_READERS:
        return extension, _OFFICE_READERS[extension](upload)
    try:
        content_type, _captured_at = image_read(upload)
    except UploadRefused:
        content_type = None
    if content_type is None:
        raise UploadRefused(
            _(
                "only PDF files, pictures (JPEG, PNG, WebP), Word (.docx) or Excel (.xlsx) "
                "documents are accepted."
            )
        )
    return _EXTENSION_OF[content_type], image_reencode(upload, content_type)


def evidence_prepare(upload, *, task_title: str) -> tuple[str, ContentFile]:
    """(name shown, content to store) of an uploaded evidence file, or a ValidationError naming
    the task and the file."""
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][-200:]

    def refuse(problem: str) -> ValidationError:
        return ValidationError(
            _("“%(task)s”: “%(name)s”: %(problem)s")
            % {"task": task_title, "name": name, "problem": problem}
        )

    if upload.size > EVIDENCE_MAX_BYTES:
        raise refuse(
            _("the file is %(size)s; at most %(limit)s is accepted.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(EVIDENCE_MAX_BYTES),
            }
        )
    try:
        extension, data = _prepare(upload)
    except UploadRefused as refused:
        raise refuse(refused.message) from None
    # The model's upload path gives it a random name keeping this extension.
    return name, ContentFile(data, name=f"evidence.{extension}")


def evidence_content_type(stored_name: str) -> str:
    extension = stored_name.rsplit(".", 1)[-1].lower()
    return CONTENT_TYPES.get(extension, "application/octet-stream")

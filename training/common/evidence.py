"""Checking an uploaded drill photo or video before it is stored.

Photos: the declared content type, the size limit, then Pillow must read the picture in full and
find the same format; the EXIF capture time (DateTimeOriginal, else DateTime) is read. Videos: the
declared content type, the size limit, the file name's extension and the container's magic bytes
must agree. Limits and types come from settings (DRILL_EVIDENCE_*).

The checks and the re-encoding themselves are directory.uploads', shared with certificate scans.
`evidence_prepare` is the one way an evidence file gets stored (drill evidence, corrective actions'
closing evidence, session photos): after the checks, a photo is re-encoded by Pillow (whatever
followed or was hidden in the picture is dropped; of its EXIF only the capture time is kept, the
picture turned upright first), and the stored name is generated from the content's type, never
taken from the uploader's file name.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from directory.uploads import UploadRefused, image_read, image_reencode, stored_name
from training.common.models import EvidenceKind

VIDEO_EXTENSIONS = {
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
}


@dataclass(frozen=True)
class EvidenceInfo:
    kind: str
    content_type: str
    captured_at: datetime.datetime | None


def _refuse(upload, message: str) -> ValidationError:
    return ValidationError(
        {"file": _("“%(name)s”: %(problem)s") % {"name": upload.name, "problem": message}}
    )


def _check_size(upload, limit: int) -> None:
    if upload.size > limit:
        raise _refuse(
            upload,
            _("the file is %(size)s; at most %(limit)s is accepted.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )


def _inspect_photo(upload) -> EvidenceInfo:
    _check_size(upload, settings.DRILL_EVIDENCE_MAX_IMAGE_BYTES)
    try:
        found, captured_at = image_read(upload)
    except UploadRefused:
        raise _refuse(
            upload, _("the photo cannot be read; it may be damaged or not a photo.")
        ) from None
    if found is None or found != upload.content_type:
        raise _refuse(
            upload,
            _("the content does not match its type (%(type)s).") % {"type": upload.content_type},
        )
    return EvidenceInfo(kind=EvidenceKind.PHOTO, content_type=found, captured_at=captured_at)


def _video_type_from_magic(head: bytes) -> str | None:
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    if head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    return None


def _inspect_video(upload) -> EvidenceInfo:
    _check_size(upload, settings.DRILL_EVIDENCE_MAX_VIDEO_BYTES)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    by_extension = VIDEO_EXTENSIONS.get(extension)
    if by_extension is None:
        raise _refuse(upload, _("videos must be MP4, MOV or WebM files."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = _video_type_from_magic(head)
    # An .mp4 holding a QuickTime brand (and the reverse) is common on phones: both are ISO media.
    iso = {"video/mp4", "video/quicktime"}
    if found is None or (found != by_extension and not {found, by_extension} <= iso):
        raise _refuse(upload, _("the content is not a video of the kind its name says."))
    return EvidenceInfo(kind=EvidenceKind.VIDEO, content_type=by_extension, captured_at=None)


def inspect_evidence(upload) -> EvidenceInfo:
    """What an uploaded file is, or a ValidationError on `file` naming it and the problem."""
    declared = (getattr(upload, "content_type", None) or "").lower()
    if declared in settings.DRILL_EVIDENCE_IMAGE_TYPES:
        return _inspect_photo(upload)
    if declared in settings.DRILL_EVIDENCE_VIDEO_TYPES:
        return _inspect_video(upload)
    raise _refuse(
        upload, _("only photos (JPEG, PNG, WebP) or videos (MP4, MOV, WebM) are accepted.")
    )


def inspect_photo(upload) -> EvidenceInfo:
    """A photo only (session photos): anything else, videos included, is refused."""
    declared = (getattr(upload, "content_type", None) or "").lower()
    if declared in settings.DRILL_EVIDENCE_IMAGE_TYPES:
        return _inspect_photo(upload)
    raise _refuse(upload, _("only photos (JPEG, PNG, WebP) are accepted."))


@dataclass(frozen=True)
class PreparedEvidence:
    """What to store for an upload: the checked facts, the (re-encoded) content, its name."""

    info: EvidenceInfo
    content: ContentFile
    original_name: str

    @property
    def size(self) -> int:
        return self.content.size


def evidence_prepare(upload, *, photos_only: bool = False) -> PreparedEvidence:
    """Check an upload (ValidationError on `file` otherwise) and give what is to be stored: a
    photo re-encoded, a video as it is, under a generated name."""
    info = inspect_photo(upload) if photos_only else inspect_evidence(upload)
    if info.kind == EvidenceKind.PHOTO:
        try:
            data = image_reencode(upload, info.content_type)
        except UploadRefused:
            raise _refuse(
                upload, _("the photo cannot be read; it may be damaged or not a photo.")
            ) from None
    else:
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
    content = ContentFile(data, name=stored_name(info.content_type))
    return PreparedEvidence(info=info, content=content, original_name=upload.name[:255])


def evidence_prepare_all(uploads, *, photos_only: bool = False) -> list[PreparedEvidence]:
    """Check (and re-encode) every upload first, so a bad one refuses them all before anything
    is written."""
    return [evidence_prepare(upload, photos_only=photos_only) for upload in uploads]

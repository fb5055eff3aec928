"""The CMS's public media served with HTTP Range (206), when they live on this host's disk.

With no bucket configured (`make run`, and a single-host production), `/media/` is answered here:
`django.views.static.serve` always answers 200 with the whole file, so a phone could not seek a
video, and WhiteNoise serves only files that exist when the process starts. With a bucket
(`MEDIA_BUCKET`), the object storage answers Range requests itself and this view is not routed
(settings.PUBLIC_MEDIA_SERVED).

Only the folders the CMS publishes from are served (PUBLIC_FOLDERS): the private storage
(PRIVATE_MEDIA_ROOT) is never reachable, nor is a file an older install left under MEDIA_ROOT
elsewhere (imports, certificate scans), nor a document of a collection with view restrictions
(Wagtail serves those through its own checked view at /documents/). Pictures, videos, audio and
PDFs are shown inline; anything else is a download of opaque bytes, so an HTML, SVG or script file
never runs on this origin (nosniff and a sandboxing CSP on every answer as well).

A range is answered with at most MEDIA_RANGE_MAX_BYTES (RFC 9110 lets a server send less than
an open-ended range asked for; the player asks for the next part): one answer never holds a web
worker for the whole of a long video on a slow phone.
"""

import mimetypes
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotModified,
    StreamingHttpResponse,
)
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since
from wagtail.documents import get_document_model

from directory.files import SANDBOX_CSP, content_disposition

CHUNK_BYTES = 64 * 1024
# upload_to of Wagtail images (originals, renditions), Wagtail documents and wagtailmedia videos
# and their thumbnails: the only folders of MEDIA_ROOT that hold public files.
PUBLIC_FOLDERS = ("original_images", "images", "documents", "media", "media_thumbnails")
# Passive types shown as they are; every other file is sent as an opaque download.
INLINE_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/avif",
        "video/mp4",
        "video/webm",
        "video/quicktime",
        "audio/mpeg",
        "audio/mp4",
        "audio/ogg",
        "application/pdf",
    }
)
_RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


class _RangeNotSatisfiable(Exception):
    pass


def _range_parse(header: str, size: int) -> tuple[int, int] | None:
    """The inclusive (first, last) byte positions asked for, or None to send the whole file.

    RFC 9110 §14: a server may ignore a Range it does not support, so a malformed header or a
    multi-range request gets the whole file (200); a range that starts past the end gets 416.
    """
    match = _RANGE_RE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # suffix: the last N bytes
        if int(last) == 0 or size == 0:
            raise _RangeNotSatisfiable
        return max(size - int(last), 0), size - 1
    if last != "" and int(last) < int(first):
        return None
    if int(first) >= size:
        raise _RangeNotSatisfiable
    return int(first), min(int(last), size - 1) if last != "" else size - 1


def _restricted_document(relative: str) -> bool:
    """True when `relative` is the file of a Wagtail document in a collection with view
    restrictions: not public, served only by Wagtail's document view, which checks them."""
    document = get_document_model().objects.filter(file=relative).select_related("collection")
    document = document.first()
    return document is not None and document.collection.get_view_restrictions().exists()


def _media_file(path: str) -> Path:
    relative = posixpath.normpath(path).lstrip("/")
    folder = relative.split("/", 1)[0]
    if folder not in PUBLIC_FOLDERS or "/" not in relative:
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        full = Path(safe_join(root, relative))
    except SuspiciousFileOperation:
        raise Http404 from None
    # A link inside MEDIA_ROOT that points out of it is not followed.
    if not full.is_file() or not full.resolve().is_relative_to(root):
        raise Http404
    if folder == "documents" and _restricted_document(relative):
        raise Http404
    return full


def _etag(stat) -> str:
    return f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'


def _not_modified(request: HttpRequest, etag: str, mtime: float) -> bool:
    """If-None-Match first (RFC 9110 §13.2.2), If-Modified-Since only without it."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    return not was_modified_since(request.headers.get("If-Modified-Since"), mtime)


def _chunks(path: Path, first: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as fh:
        fh.seek(first)
        while length > 0:
            chunk = fh.read(min(CHUNK_BYTES, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


@require_safe
def media_serve(request: HttpRequest, path: str) -> HttpResponseBase:
    """One file under MEDIA_ROOT: whole (200), a byte range (206) or 416; GET and HEAD."""
    full = _media_file(path)
    stat = full.stat()
    size, last_modified, etag = stat.st_size, http_date(stat.st_mtime), _etag(stat)
    if _not_modified(request, etag, stat.st_mtime):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    content_type, encoding = mimetypes.guess_type(full.name)
    inline = not encoding and content_type in INLINE_TYPES
    if not inline:
        content_type = "application/octet-stream"

    byte_range = None
    # If-Range: resume only if the file is still the one the client has part of.
    if "Range" in request.headers and request.headers.get("If-Range", etag) in (
        etag,
        last_modified,
    ):
        try:
            byte_range = _range_parse(request.headers["Range"], size)
        except _RangeNotSatisfiable:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
    first, last = byte_range or (0, size - 1)
    status = 206 if byte_range else 200
    if byte_range:
        last = min(last, first + settings.MEDIA_RANGE_MAX_BYTES - 1)

    if request.method == "HEAD":
        response = HttpResponse(status=status, content_type=content_type)
    elif byte_range:
        response = StreamingHttpResponse(
            _chunks(full, first, last - first + 1), status=206, content_type=content_type
        )
    else:
        # FileResponse streams in blocks (and uses the server's sendfile when there is one).
        response = FileResponse(full.open("rb"), content_type=content_type)
    if byte_range:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = last_modified
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    if not inline:
        response["Content-Disposition"] = content_disposition(full.name, inline=False)
    return response

"""The CMS's public media served with HTTP Range (206), so videos seek under `make run`. DEBUG only.

`django.views.static.serve` always answers 200 with the whole file; browsers then cannot seek a
video. In production the media live on object storage, which answers Range requests itself.

Only the folders the CMS publishes from are served (PUBLIC_FOLDERS): a file an older install left
under MEDIA_ROOT elsewhere (imports, certificate scans) is "not found". Pictures, videos, audio and
PDFs are shown inline; anything else is a download of opaque bytes, so an HTML, SVG or script file
never runs on this origin (nosniff and a sandboxing CSP on every answer as well).
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


def _media_file(path: str) -> Path:
    relative = posixpath.normpath(path).lstrip("/")
    if relative.split("/", 1)[0] not in PUBLIC_FOLDERS or "/" not in relative:
        raise Http404
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, relative))
    except SuspiciousFileOperation:
        raise Http404 from None
    if not full.is_file():
        raise Http404
    return full


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
    if not was_modified_since(request.headers.get("If-Modified-Since"), stat.st_mtime):
        return HttpResponseNotModified()
    size, last_modified = stat.st_size, http_date(stat.st_mtime)
    content_type, encoding = mimetypes.guess_type(full.name)
    inline = not encoding and content_type in INLINE_TYPES
    if not inline:
        content_type = "application/octet-stream"

    byte_range = None
    # If-Range: resume only if the file is still the one the client has part of.
    if (
        "Range" in request.headers
        and request.headers.get("If-Range", last_modified) == last_modified
    ):
        try:
            byte_range = _range_parse(request.headers["Range"], size)
        except _RangeNotSatisfiable:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
    first, last = byte_range or (0, size - 1)
    status = 206 if byte_range else 200

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
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    if not inline:
        response["Content-Disposition"] = content_disposition(full.name, inline=False)
    return response

"""MEDIA_ROOT served with HTTP Range (206), so videos seek under `make run`. DEBUG only.

`django.views.static.serve` always answers 200 with the whole file; browsers then cannot seek a
video. In production the media live on object storage, which answers Range requests itself.
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

CHUNK_BYTES = 64 * 1024
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
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, posixpath.normpath(path).lstrip("/")))
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
    if encoding or not content_type:
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
    return response

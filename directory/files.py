"""Files handed to a browser: the headers every download carries, and the private storage.

Two storages hold the platform's files. Public media (page images, campaign videos, published
documents) stays in Django's default storage under MEDIA_URL. Everything that holds personal data
or belongs to a scope (imports, certificate scans, batch prints, compiled reports, drill evidence,
session photos) lives in the "private" storage, which no URL serves: a view finds the record
through the scoping selector of its model and answers with `stored_file_response`.

Every file response, stored or generated, is built by `file_response`, so each carries the
same headers: its real content type, `Content-Disposition`, `nosniff`, `no-store` and a
sandboxing Content-Security-Policy (an HTML file that slipped through would run no script and
reach no origin). Chrome and Firefox still show a sandboxed PDF inline.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import IO
from urllib.parse import quote

from django.core.files.storage import Storage, storages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase

# Shown inline in the browser; every other type is downloaded.
INLINE_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/webp",
        "video/mp4",
        "video/quicktime",
        "video/webm",
    }
)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SANDBOX_CSP = (
    "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; "
    "style-src 'unsafe-inline'; frame-ancestors 'self'"
)


def private_storage() -> Storage:
    """The storage for files that belong to a scope (a callable, so FileFields stay portable)."""
    return storages["private"]


def content_disposition(filename: str, *, inline: bool) -> str:
    """RFC 6266 with an ASCII fallback: Chinese file names arrive intact in every browser."""
    kind = "inline" if inline else "attachment"
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def no_store(response: HttpResponseBase) -> HttpResponseBase:
    """One person's data: kept by no cache, shared or private (back button included)."""
    response["Cache-Control"] = "private, no-store"
    response["Pragma"] = "no-cache"
    return response


def private_page(view: Callable) -> Callable:
    """A view showing one person's data (my page, 一人一档, results): answered with no_store."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return no_store(view(request, *args, **kwargs))

    return wrapped


def file_response(
    content: bytes | IO[bytes] | Iterable[bytes],
    *,
    filename: str,
    content_type: str,
    inline: bool | None = None,
) -> HttpResponseBase:
    """A file for the browser with the platform's download headers.

    `inline=None` shows PDFs, images and videos in the browser and downloads anything else.
    """
    if inline is None:
        inline = content_type in INLINE_TYPES
    if isinstance(content, bytes):
        response: HttpResponseBase = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    return no_store(response)


def stored_file_response(
    field_file: FieldFile,
    *,
    content_type: str,
    filename: str | None = None,
    inline: bool | None = None,
) -> HttpResponseBase:
    """A stored private file, for a viewer the caller has already found in the record's scope.

    On the filesystem the file is streamed by Django; on object storage the answer is a redirect
    to a short-lived signed URL (production settings sign every private URL and give them no
    custom domain), with the same disposition and type forced through the URL's parameters.
    """
    name = filename or field_file.name.rsplit("/", 1)[-1]
    storage = field_file.storage
    try:
        path = storage.path(field_file.name)
    except NotImplementedError:
        if inline is None:
            inline = content_type in INLINE_TYPES
        url = storage.url(
            field_file.name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": content_disposition(name, inline=inline),
                "ResponseCacheControl": "private, no-store",
            },
        )
        return no_store(HttpResponseRedirect(url))
    try:
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:  # the row outlived its file (deleted by hand, a lost volume)
        raise Http404 from None
    return file_response(
        handle,
        filename=name,
        content_type=content_type,
        inline=inline,
    )


def stored_files_move_to_private(model, fields: tuple[str, ...]) -> int:
    """Move the files of `model`'s rows from the default (public) storage to the private one.

    For the data migrations that made these fields private. Names are kept, so running it again
    moves nothing twice: a file already in the private storage only has its public copy removed,
    and a file missing from both (deleted by hand on an old install) is skipped. Returns the
    number of files moved.
    """
    public, private = storages["default"], storages["private"]
    moved = 0
    for row in model.objects.only("pk", *fields).iterator():
        for field in fields:
            name = getattr(row, field).name
            if not name or not public.exists(name):
                continue
            if not private.exists(name):
                with public.open(name, "rb") as source:
                    saved = private.save(name, source)
                if saved != name:  # a storage that refuses the name: keep the row pointing at it
                    model.objects.filter(pk=row.pk).update(**{field: saved})
                moved += 1
            public.delete(name)
    return moved

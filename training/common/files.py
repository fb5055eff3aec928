"""The private evidence storage shared by drills and sessions: where files go, under which
names, and how they are sent back to someone a view has already checked may see them."""

import mimetypes

from django.core.files.storage import storages

from directory.files import stored_file_response
from directory.uploads import stored_name_for

SAFE_EXTENSIONS = {"jpg", "jpeg", "png", "webp", "mp4", "m4v", "mov", "webm"}


def evidence_storage():
    return storages["private"]


def safe_name(filename: str) -> str:
    """A random name keeping only a known extension: the original name may carry personal data
    or path parts ("../"), and is kept in a field instead."""
    return stored_name_for(filename, SAFE_EXTENSIONS)


def evidence_response(field_file, content_type: str | None = None):
    """The stored file as a private download; the caller has checked the viewer's scope."""
    # Stored names are generated with an extension checked against the content on upload.
    content_type = content_type or mimetypes.guess_type(field_file.name)[0]
    return stored_file_response(field_file, content_type=content_type or "application/octet-stream")

"""Public media served by the web processes when no bucket is configured (content.views.media).

Through the project's own URLs (config.urls), as production has them without MEDIA_BUCKET: byte
ranges so a phone can seek a video, validators for caches, the private storage and anything
outside the CMS's folders unreachable, no way out of MEDIA_ROOT.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from directory.files import private_storage
from tests.test_settings import MANAGE, production_env  # noqa: F401 - a fixture

VIDEO = bytes(range(256)) * 40  # 10,240 bytes that tell every position apart


@pytest.fixture
def media_root(settings, tmp_path, db):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            # Even a private folder placed inside MEDIA_ROOT is never served under /media/.
            "OPTIONS": {"location": str(tmp_path / "media" / "private")},
        },
    }
    root = Path(settings.MEDIA_ROOT)
    (root / "media").mkdir(parents=True)
    (root / "media" / "clip.mp4").write_bytes(VIDEO)
    return root


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_first_bytes(client, media_root):
    response = client.get("/media/media/clip.mp4", headers={"Range": "bytes=0-99"})
    assert response.status_code == 206
    assert _body(response) == VIDEO[:100]
    assert response["Content-Range"] == f"bytes 0-99/{len(VIDEO)}"
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"


def test_a_range_in_the_middle(client, media_root):
    response = client.get("/media/media/clip.mp4", headers={"Range": "bytes=5000-5099"})
    assert response.status_code == 206
    assert _body(response) == VIDEO[5000:5100]
    assert response["Content-Length"] == "100"
    assert response["Content-Range"] == f"bytes 5000-5099/{len(VIDEO)}"


def test_a_suffix_range(client, media_root):
    response = client.get("/media/media/clip.mp4", headers={"Range": "bytes=-300"})
    assert response.status_code == 206
    assert _body(response) == VIDEO[-300:]
    assert response["Content-Range"] == f"bytes {len(VIDEO) - 300}-{len(VIDEO) - 1}/{len(VIDEO)}"


@pytest.mark.parametrize("header", [f"bytes={len(VIDEO)}-", "bytes=-0", f"bytes={10**9}-{10**9}"])
def test_an_unsatisfiable_range_is_416(client, media_root, header):
    response = client.get("/media/media/clip.mp4", headers={"Range": header})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO)}"


def test_an_open_range_is_answered_in_parts(client, media_root, settings):
    settings.MEDIA_RANGE_MAX_BYTES = 4096
    response = client.get("/media/media/clip.mp4", headers={"Range": "bytes=1000-"})
    assert response.status_code == 206
    assert _body(response) == VIDEO[1000:5096]
    assert response["Content-Range"] == f"bytes 1000-5095/{len(VIDEO)}"


def test_validators_let_a_cache_revalidate_and_resume(client, media_root):
    whole = client.get("/media/media/clip.mp4")
    assert whole.status_code == 200 and _body(whole) == VIDEO
    etag, last_modified = whole["ETag"], whole["Last-Modified"]
    assert etag.startswith('"') and last_modified
    assert client.get("/media/media/clip.mp4", headers={"If-None-Match": etag}).status_code == 304
    # Resuming: the same file → the range; another version → the whole file.
    for validator in (etag, last_modified):
        resumed = client.get(
            "/media/media/clip.mp4", headers={"Range": "bytes=10-19", "If-Range": validator}
        )
        assert resumed.status_code == 206 and _body(resumed) == VIDEO[10:20]
    stale = client.get(
        "/media/media/clip.mp4", headers={"Range": "bytes=10-19", "If-Range": '"other"'}
    )
    assert stale.status_code == 200


def test_private_files_are_never_under_media(client, media_root):
    name = private_storage().save("certificates/scan.pdf", ContentFile(b"%PDF-1.4 personal"))
    assert (media_root / "private" / name).is_file()
    for url in (
        f"/media/private/{name}",
        f"/media/media/../private/{name}",
        f"/media/media/%2e%2e/private/{name}",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "url",
    [
        "/media/../secret.txt",
        "/media/media/../../secret.txt",
        "/media/media/%2e%2e/%2e%2e/secret.txt",
        "/media/media/..%2f..%2fsecret.txt",
        "/media/media/out/secret.txt",  # a link inside MEDIA_ROOT to a folder outside it
    ],
)
def test_no_way_out_of_media_root(client, media_root, url):
    (media_root.parent / "secret.txt").write_text("secret")
    os.symlink(media_root.parent, media_root / "media" / "out")
    assert client.get(url).status_code == 404


def test_a_document_of_a_restricted_collection_is_not_served(client, media_root):
    Document = get_document_model()
    root = Collection.get_first_root_node()
    public = Document.objects.create(
        title="公开", file=ContentFile(b"%PDF-1.4 public", name="public.pdf")
    )
    hidden_collection = root.add_child(name="内部")
    CollectionViewRestriction.objects.create(
        collection=hidden_collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    hidden = Document.objects.create(
        title="内部",
        file=ContentFile(b"%PDF-1.4 internal", name="internal.pdf"),
        collection=hidden_collection,
    )
    assert client.get(f"/media/{public.file.name}").status_code == 200
    assert client.get(f"/media/{hidden.file.name}").status_code == 404


def test_production_serves_media_without_a_bucket_and_not_with_one(production_env):  # noqa: F811
    script = (
        "from django.urls import resolve, Resolver404\n"
        "try:\n    print('media', resolve('/media/media/x.mp4').func.__name__)\n"
        "except Resolver404:\n    print('media none')\n"
    )
    answers = []
    for bucket in ("", "xujing-media"):
        env = {**production_env, "MEDIA_BUCKET": bucket}
        result = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, str(MANAGE), "shell", "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        answers.append([line for line in result.stdout.splitlines() if line.startswith("media")])
    assert answers == [["media media_serve"], ["media none"]]

"""Videos: probing, posters, the demo clip, Range (206) serving, and filling in after upload."""

import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path as url_path
from wagtail.models import Collection

import config.urls
from content.media import (
    VideoProbeError,
    video_clip_generate,
    video_demo_create,
    video_fill_metadata,
    video_poster,
    video_probe,
)
from content.models import Video
from content.views.media import media_serve
from tests.factories import UserFactory

# The Range tests use this module as URLconf: config.urls adds media_serve only when DEBUG.
urlpatterns = [url_path("media/<path:path>", media_serve), *config.urls.urlpatterns]
serve_urls = pytest.mark.urls(__name__)


@pytest.fixture(scope="session")
def clip(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("clips") / "clip.mp4"
    video_clip_generate(path=path)
    return path


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def served(settings, clip) -> tuple[str, bytes]:
    """The clip placed under MEDIA_ROOT: its URL and its bytes."""
    target = Path(settings.MEDIA_ROOT) / "media" / "clip.mp4"
    target.parent.mkdir(parents=True)
    target.write_bytes(clip.read_bytes())
    return "/media/media/clip.mp4", target.read_bytes()


def test_probe_reads_duration_and_size(clip):
    info = video_probe(clip)
    assert info.duration == pytest.approx(5.0, abs=0.1)
    assert (info.width, info.height) == (640, 360)


def test_probe_reports_portrait_phone_video_as_displayed(clip, tmp_path):
    rotated = tmp_path / "rotated.mp4"
    subprocess.run(  # noqa: S603
        [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-display_rotation:v:0", "90", "-i", str(clip)]
        + ["-c", "copy", str(rotated)],
        check=True,
        capture_output=True,
    )
    info = video_probe(rotated)
    assert (info.width, info.height) == (360, 640)


def test_probe_rejects_a_file_that_is_not_a_video(tmp_path):
    not_video = tmp_path / "notes.mp4"
    not_video.write_text("not a video")
    with pytest.raises(VideoProbeError):
        video_probe(not_video)


def test_poster_is_a_jpeg(clip):
    poster = video_poster(clip)
    assert poster.startswith(b"\xff\xd8")
    assert poster.endswith(b"\xff\xd9")


def test_poster_of_a_clip_shorter_than_a_second(tmp_path):
    short = tmp_path / "short.mp4"
    video_clip_generate(path=short, seconds=0.4, width=320, height=180)
    assert video_poster(short).startswith(b"\xff\xd8")


@pytest.mark.django_db
def test_demo_video_is_made_once_with_metadata_poster_and_transcript():
    first = video_demo_create(title="解读视频示例")
    second = video_demo_create(title="解读视频示例")

    assert Video.objects.count() == 1
    assert second.pk == first.pk
    video = Video.objects.get()
    assert video.type == "video"
    assert video.duration == pytest.approx(5.0, abs=0.1)
    assert (video.width, video.height) == (640, 360)
    assert video.thumbnail.read(2) == b"\xff\xd8"
    assert video.transcript.startswith("示例视频：")


@pytest.mark.django_db
def test_fill_metadata_copies_from_storage_without_a_local_path(settings, clip):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    video = Video(title="对象存储上的视频", type="video")
    video.file.save("clip.mp4", SimpleUploadedFile("clip.mp4", clip.read_bytes()), save=False)

    video_fill_metadata(video=video)

    video.refresh_from_db()
    assert video.duration == pytest.approx(5.0, abs=0.1)
    assert video.width == 640
    assert video.thumbnail.storage.open(video.thumbnail.name).read(2) == b"\xff\xd8"


@serve_urls
def test_range_first_hundred_bytes(client, served):
    url, content = served
    response = client.get(url, headers={"Range": "bytes=0-99"})
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == content[:100]
    assert response["Content-Range"] == f"bytes 0-99/{len(content)}"
    assert response["Content-Length"] == "100"
    assert response["Content-Type"] == "video/mp4"


@serve_urls
def test_range_open_ended(client, served):
    url, content = served
    response = client.get(url, headers={"Range": "bytes=100-"})
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == content[100:]
    assert response["Content-Range"] == f"bytes 100-{len(content) - 1}/{len(content)}"


@serve_urls
def test_range_suffix_gives_the_last_bytes(client, served):
    url, content = served
    response = client.get(url, headers={"Range": "bytes=-100"})
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == content[-100:]


@serve_urls
def test_without_range_the_whole_file_and_ranges_announced(client, served):
    url, content = served
    response = client.get(url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert b"".join(response.streaming_content) == content


@serve_urls
def test_range_past_the_end_is_416(client, served):
    url, content = served
    response = client.get(url, headers={"Range": f"bytes={len(content)}-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(content)}"


@serve_urls
def test_head_answers_headers_only(client, served):
    url, content = served
    response = client.head(url, headers={"Range": "bytes=0-99"})
    assert response.status_code == 206
    assert response["Content-Length"] == "100"
    assert response.content == b""


@serve_urls
def test_stale_if_range_gets_the_whole_file(client, served):
    url, content = served
    response = client.get(
        url, headers={"Range": "bytes=0-99", "If-Range": "Thu, 01 Jan 1970 00:00:00 GMT"}
    )
    assert response.status_code == 200


@serve_urls
@pytest.mark.parametrize(
    "url", ["/media/../secret.txt", "/media/media/../../secret.txt", "/media/%2e%2e/secret.txt"]
)
def test_no_path_outside_media_root(client, db, served, settings, url):
    (Path(settings.MEDIA_ROOT).parent / "secret.txt").write_text("secret")
    assert client.get(url).status_code == 404


@serve_urls
def test_missing_file_and_directory_are_404(client, db, served):
    assert client.get("/media/media/nothing.mp4").status_code == 404
    assert client.get("/media/media/").status_code == 404


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="video-admin", is_superuser=True, is_staff=True))
    return client


def test_upload_in_admin_fills_duration_size_and_poster(admin_client, clip):
    response = admin_client.post(
        "/admin/media/video/add/",
        {
            "title": "有限空间作业解读",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile("explain.mp4", clip.read_bytes(), "video/mp4"),
            "duration": "",
            "transcript": "",
        },
    )

    assert response.status_code == 302
    video = Video.objects.get(title="有限空间作业解读")
    assert video.duration == pytest.approx(5.0, abs=0.1)
    assert (video.width, video.height) == (640, 360)
    assert video.thumbnail.name.endswith(".jpg")
    assert video.thumbnail.read(2) == b"\xff\xd8"


def test_replacing_the_file_in_admin_reads_the_new_one(admin_client, clip, tmp_path):
    video = video_demo_create(title="替换文件的视频")
    shorter = tmp_path / "shorter.mp4"
    video_clip_generate(path=shorter, seconds=2, width=320, height=180)

    response = admin_client.post(
        f"/admin/media/edit/{video.pk}/",
        {
            "title": video.title,
            "collection": video.collection_id,
            "file": SimpleUploadedFile("shorter.mp4", shorter.read_bytes(), "video/mp4"),
            "duration": "5",
            "width": "640",
            "height": "360",
            "transcript": video.transcript,
        },
    )

    assert response.status_code == 302
    video.refresh_from_db()
    assert video.duration == pytest.approx(2.0, abs=0.1)
    assert (video.width, video.height) == (320, 180)


def test_unreadable_upload_is_still_saved(admin_client):
    response = admin_client.post(
        "/admin/media/video/add/",
        {
            "title": "坏文件",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile("broken.mp4", b"not a video", "video/mp4"),
            "duration": "",
        },
    )

    assert response.status_code == 302
    video = Video.objects.get(title="坏文件")
    assert video.duration == 0
    assert not video.thumbnail

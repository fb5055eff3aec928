"""Video services: read a file's duration and size, cut a poster frame, make the demo clip.

Everything runs the ffmpeg binary that the pinned `imageio-ffmpeg` wheel carries (libx264 + aac),
so no system package is needed.
"""

import logging
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg
from django.core.files import File
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils.text import slugify

from content.models import Video

logger = logging.getLogger(__name__)

FFMPEG_TIMEOUT_SECONDS = 120
POSTER_AT_SECONDS = 1.0
POSTER_MAX_WIDTH = 1280
# Reading a video's header and one frame takes milliseconds when the file is on local disk, so
# uploads are filled in during the request. Object storage has no local path and the file must be
# copied first: above this size the request would wait too long, and the editor types the numbers.
SYNC_REMOTE_COPY_MAX_BYTES = 200 * 1024 * 1024

DEMO_SECONDS = 5
DEMO_WIDTH, DEMO_HEIGHT = 640, 360
DEMO_TRANSCRIPT = (
    "示例视频：彩色测试图案配 440 赫兹提示音，时长 5 秒，由系统生成，"
    "用于演示视频播放、拖动进度和文字稿显示，不含讲解内容。"
)

_DURATION_RE = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_VIDEO_STREAM_RE = re.compile(r"^\s*Stream #\S+.*?: Video: ")
_SIZE_RE = re.compile(r"(?<!\w)(\d{2,5})x(\d{2,5})(?!\w)")
# ffmpeg ≥ 5 prints "displaymatrix: rotation of -90.00 degrees"; older builds "rotate : 90".
_ROTATION_RE = re.compile(
    r"rotation of (-?\d+(?:\.\d+)?) degrees|rotate\s*:\s*(-?\d+)", re.IGNORECASE
)


class VideoProbeError(Exception):
    """ffmpeg could not read the file as audio or video."""


@dataclass(frozen=True)
class VideoInfo:
    """Duration in seconds; width and height as displayed (None for audio-only files)."""

    duration: float
    width: int | None
    height: int | None


def _ffmpeg(*args: str) -> subprocess.CompletedProcess:
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", *args]
    return subprocess.run(  # noqa: S603 — fixed binary, arguments are never parsed by a shell
        command, capture_output=True, timeout=FFMPEG_TIMEOUT_SECONDS, check=False
    )


def video_probe(path: str | Path) -> VideoInfo:
    """Duration and displayed size from the file's header (no decoding)."""
    # `ffmpeg -i FILE` with no output prints the header and exits 1: that is expected.
    stderr = _ffmpeg("-i", str(path)).stderr.decode("utf-8", "replace")
    match = _DURATION_RE.search(stderr)
    width, height = _video_size(stderr)
    if match:
        hours, minutes, seconds = match.groups()
        duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    elif "Duration: N/A" in stderr and width:
        # Streamed recordings (e.g. browser WebM) have no duration in the header; copying the
        # stream to null counts it without decoding.
        _frames, duration = imageio_ffmpeg.count_frames_and_secs(str(path))
    else:
        last_line = stderr.strip().splitlines()[-1:] or ["no output"]
        raise VideoProbeError(f"ffmpeg could not read {path}: {last_line[0]}")
    return VideoInfo(duration=duration, width=width, height=height)


def _video_size(stderr: str) -> tuple[int | None, int | None]:
    lines = stderr.splitlines()
    for index, line in enumerate(lines):
        # An MP3's cover art is listed as a video stream too.
        if not _VIDEO_STREAM_RE.match(line) or "(attached pic)" in line:
            continue
        size = _SIZE_RE.search(line.split(": Video: ", 1)[1])
        if not size:
            continue
        width, height = int(size.group(1)), int(size.group(2))
        for detail in lines[index + 1 :]:
            if detail.lstrip().startswith("Stream #"):
                break
            rotation = _ROTATION_RE.search(detail)
            # Phones store portrait video as landscape plus a rotation; players show it turned.
            if rotation and round(float(rotation.group(1) or rotation.group(2))) % 180 == 90:
                width, height = height, width
                break
        return width, height
    return None, None


def video_poster(path: str | Path) -> bytes:
    """A JPEG of the frame at about one second (the first frame for shorter clips)."""
    for at_seconds in (POSTER_AT_SECONDS, 0):
        result = _ffmpeg(
            "-ss",
            str(at_seconds),
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-an",
            "-vf",
            f"scale='min({POSTER_MAX_WIDTH},iw)':-2",
            "-f",
            "image2pipe",
            "-c:v",
            "mjpeg",
            "-q:v",
            "3",
            "-",
        )
        if result.stdout.startswith(b"\xff\xd8"):
            return result.stdout
    raise VideoProbeError(f"ffmpeg could not cut a poster frame from {path}")


def _has_local_path(field_file: FieldFile) -> bool:
    # Object storage raises NotImplementedError; InMemoryStorage answers a path that is not on disk.
    try:
        return Path(field_file.storage.path(field_file.name)).is_file()
    except NotImplementedError:
        return False


@contextmanager
def _local_path(field_file: FieldFile) -> Iterator[Path]:
    """The file's path on disk, or a temporary copy when the storage has none (object storage)."""
    if _has_local_path(field_file):
        yield Path(field_file.storage.path(field_file.name))
        return
    suffix = Path(field_file.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with field_file.storage.open(field_file.name, "rb") as source:
            shutil.copyfileobj(source, copy, length=1024 * 1024)
        copy.flush()
        yield Path(copy.name)


def video_fill_metadata(*, video: Video) -> Video:
    """Sets duration, width and height from the file and, if there is none, a poster; saves."""
    with _local_path(video.file) as path:
        info = video_probe(path)
        video.duration = round(info.duration, 3)
        video.width, video.height = info.width, info.height
        fields = ["duration", "width", "height"]
        if not video.thumbnail and info.width:
            poster = video_poster(path)
            video.thumbnail.save(
                f"{Path(video.file.name).stem}-poster.jpg", ContentFile(poster), save=False
            )
            fields.append("thumbnail")
    if video.pk is None:
        video.save()
    else:
        video.save(update_fields=fields)
    return video


def video_fill_metadata_after_upload(*, video: Video) -> None:
    """Best effort right after an upload: a file ffmpeg cannot read is still saved, unfilled."""
    if not _has_local_path(video.file) and video.file.size > SYNC_REMOTE_COPY_MAX_BYTES:
        logger.info("Video %s is too large to read during the upload; not filled in", video.pk)
        return
    try:
        video_fill_metadata(video=video)
    except (VideoProbeError, subprocess.TimeoutExpired, OSError):
        logger.warning("Could not read video %s (%s)", video.pk, video.file.name, exc_info=True)


def video_clip_generate(
    *,
    path: Path,
    seconds: float = DEMO_SECONDS,
    width: int = DEMO_WIDTH,
    height: int = DEMO_HEIGHT,
) -> None:
    """Writes an H.264 + AAC mp4 test pattern with a tone (browser-playable, seekable at once)."""
    result = _ffmpeg(
        "-y",
        "-f",
        "lavfi",
        # testsrc draws its own frame counter: an overlay that needs no font.
        "-i",
        f"testsrc=size={width}x{height}:rate=25:duration={seconds}",
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=440:sample_rate=44100:duration={seconds}",
        "-vf",
        "drawbox=x=0:y=ih-ih/8:w=iw:h=ih/8:color=black@0.6:t=fill",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "28",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "64k",
        "-shortest",
        # The index goes first, so a browser can start and seek before the whole file arrives.
        "-movflags",
        "+faststart",
        str(path),
    )
    if result.returncode != 0:
        raise VideoProbeError(result.stderr.decode("utf-8", "replace")[-500:])


def video_demo_create(*, title: str) -> Video:
    """The demo video with this title, made once: a 5-second clip, its poster and a transcript."""
    video = Video.objects.filter(title=title).order_by("pk").first()
    if video and video.file and video.file.storage.exists(video.file.name):
        return video
    video = video or Video(title=title, type="video")
    video.transcript = DEMO_TRANSCRIPT
    with tempfile.TemporaryDirectory() as tmp:
        clip = Path(tmp) / "demo.mp4"
        video_clip_generate(path=clip)
        with clip.open("rb") as fh:
            video.file.save(f"{slugify(title) or 'demo-video'}.mp4", File(fh), save=False)
    video.save()
    return video_fill_metadata(video=video)


# wagtailmedia's add, edit and chooser-upload views offer no hook around saving, so the model's
# save signals are the one place all three pass through.
def _video_note_new_file(sender, instance, **kwargs) -> None:
    # An uploaded file is not yet in storage when pre_save runs (FileField.pre_save stores it).
    instance._content_new_file = bool(instance.file) and not instance.file._committed


def _video_fill_after_upload(sender, instance, **kwargs) -> None:
    if instance.__dict__.pop("_content_new_file", False):
        video_fill_metadata_after_upload(video=instance)


def video_receivers_connect() -> None:
    """Fill a video's duration, size and poster after every upload; safe to call twice."""
    from django.db.models.signals import post_save, pre_save

    from content.models import Video

    pre_save.connect(_video_note_new_file, sender=Video, dispatch_uid="content_video_note_new_file")
    post_save.connect(_video_fill_after_upload, sender=Video, dispatch_uid="content_video_fill")

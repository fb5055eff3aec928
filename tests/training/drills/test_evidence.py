"""Evidence of a drill: photos read by Pillow with their EXIF time, videos by extension and magic
bytes, size limits from settings, all-or-nothing uploads, files served only within the scope."""

import datetime
import os
import zoneinfo

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from directory.constants import AccountRole
from tests.factories.drills import DrillRecordFactory
from tests.upload_files import MOV_HEAD, WEBM_HEAD, photo, video
from training.drills.services.follow_up import drill_evidence_add, drill_evidence_delete
from training.models import DrillEvidence

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MANAGER = AccountRole.ENTERPRISE_MANAGER


@pytest.fixture
def record(accounts, town):
    return DrillRecordFactory(enterprise=town["ent_a"])


def add(accounts, record, *uploads, role=MANAGER):
    return drill_evidence_add(user=accounts[role], record=record, uploads=list(uploads))


def refusal(accounts, record, upload):
    with pytest.raises(ValidationError) as error:
        add(accounts, record, upload)
    (message,) = error.value.message_dict["file"]
    return message


def test_photo_is_stored_privately_with_its_exif_time(accounts, record):
    (evidence,) = add(accounts, record, photo(captured="2026:04:01 14:03:00"))
    assert (evidence.kind, evidence.content_type) == ("photo", "image/jpeg")
    assert evidence.captured_at == datetime.datetime(2026, 4, 1, 14, 3, tzinfo=SHANGHAI)
    path = evidence.file.path
    assert os.path.exists(path)
    assert not path.startswith(str(django_settings.MEDIA_ROOT))
    assert evidence.original_name == "drill.jpg" and "drill" not in os.path.basename(path)


def test_exif_offset_is_honoured(accounts, record):
    (evidence,) = add(accounts, record, photo(captured="2026:04:01 06:03:00", offset="+00:00"))
    assert evidence.captured_at == datetime.datetime(2026, 4, 1, 14, 3, tzinfo=SHANGHAI)


def test_png_without_exif_has_no_capture_time(accounts, record):
    (evidence,) = add(accounts, record, photo("a.png", fmt="PNG", content_type="image/png"))
    assert evidence.captured_at is None


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (photo("a.jpg", fmt="PNG"), "“a.jpg”：内容与其类型（image/jpeg）不符。"),
        (
            video("a.jpg", content_type="image/jpeg"),
            "“a.jpg”：无法读取照片，文件可能已损坏或不是照片。",
        ),
        (video("a.avi"), "“a.avi”：视频须为 MP4、MOV 或 WebM 文件。"),
        (
            video("a.mp4", head=b"not a video at all"),
            "“a.mp4”：文件内容与其名称所示的视频类型不符。",
        ),
        (
            video("a.webm", head=MOV_HEAD, content_type="video/webm"),
            "“a.webm”：文件内容与其名称所示的视频类型不符。",
        ),
        (
            video("a.txt", content_type="text/plain"),
            "“a.txt”：只接受照片（JPEG、PNG、WebP）或视频（MP4、MOV、WebM）。",
        ),
    ],
    ids=["png-as-jpeg", "not-a-photo", "avi", "bad-magic", "mov-as-webm", "text"],
)
def test_bad_files_are_refused_naming_the_file(accounts, record, upload, expected):
    assert refusal(accounts, record, upload) == expected
    assert not DrillEvidence.objects.exists()


@pytest.mark.parametrize(
    "upload",
    [video("a.webm", head=WEBM_HEAD, content_type="video/webm"), video("a.mov", head=MOV_HEAD)],
)
def test_webm_and_mov_videos_are_accepted(accounts, record, upload):
    (evidence,) = add(accounts, record, upload)
    assert evidence.kind == "video" and evidence.captured_at is None


def test_size_limits_come_from_settings(accounts, record, settings):
    settings.DRILL_EVIDENCE_MAX_IMAGE_BYTES = 100
    settings.DRILL_EVIDENCE_MAX_VIDEO_BYTES = 1000
    assert "最多接受 100\xa0字节" in refusal(accounts, record, photo())
    assert "最多接受 1000\xa0字节" in refusal(accounts, record, video(size=2000))
    assert add(accounts, record, video(size=100))


def test_one_bad_file_refuses_the_whole_upload(accounts, record):
    with pytest.raises(ValidationError):
        add(accounts, record, photo("good.jpg"), video("bad.avi"))
    assert not DrillEvidence.objects.exists()


@pytest.mark.parametrize(
    ("role", "side"),
    [(MANAGER, "b"), (AccountRole.VILLAGE_OFFICER, "a"), (AccountRole.DEPARTMENT_OFFICER, "b")],
)
def test_only_those_who_may_change_the_record_upload(accounts, town, role, side):
    other = DrillRecordFactory(enterprise=town[f"ent_{side}"])
    with pytest.raises(PermissionDenied):
        add(accounts, other, photo(), role=role)


def test_deleting_removes_the_file_once_committed(
    accounts, record, django_capture_on_commit_callbacks
):
    (evidence,) = add(accounts, record, photo())
    path = evidence.file.path
    with django_capture_on_commit_callbacks(execute=True):
        drill_evidence_delete(user=accounts[MANAGER], evidence=evidence)
    assert not DrillEvidence.objects.exists() and not os.path.exists(path)


# --- serving and the back office ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "served"),
    [
        (AccountRole.TOWN_OFFICE, True),
        (AccountRole.DEPARTMENT_OFFICER, True),
        (AccountRole.VILLAGE_OFFICER, True),
        (MANAGER, True),
        (AccountRole.LEARNER, False),
        (AccountRole.EDITOR, False),
    ],
)
def test_file_is_served_only_within_scope(client, accounts, record, role, served):
    (evidence,) = add(accounts, record, photo())
    client.force_login(accounts[role])
    response = client.get(reverse("training:evidence_file", args=[evidence.pk]))
    assert response.status_code == (200 if served else 404)
    if served:
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_anonymous_visitor_is_sent_to_login(client, accounts, record):
    (evidence,) = add(accounts, record, photo())
    response = client.get(reverse("training:evidence_file", args=[evidence.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_manager_uploads_in_the_back_office_and_sees_the_exif_time(client, accounts, record):
    client.force_login(accounts[MANAGER])
    bad = client.post(reverse("drill_evidence:add"), {"record": record.pk, "file": video("x.avi")})
    assert bad.status_code == 200
    assert bad.context["form"].errors["file"] == ["“x.avi”：视频须为 MP4、MOV 或 WebM 文件。"]
    response = client.post(
        reverse("drill_evidence:add"),
        {"record": record.pk, "file": photo(captured="2026:04:01 14:03:00")},
    )
    assert response.status_code == 302
    evidence = DrillEvidence.objects.get()
    assert evidence.uploaded_by == accounts[MANAGER]
    page = client.get(reverse("drill_evidence:inspect", args=[evidence.pk])).content.decode()
    assert "2026年4月1日 14:03" in page
    assert reverse("training:evidence_file", args=[evidence.pk]) in page

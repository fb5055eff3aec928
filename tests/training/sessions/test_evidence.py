"""Photos of a session (issue 6) and the upload rules shared with drill evidence (issue 10):
type checked by content, size limit from settings, photos re-encoded (a payload after or inside the
picture does not survive; the EXIF capture time does), generated names (no path traversal), files
served only to those who may see the session."""

import io
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from directory.constants import AccountRole
from tests.factories.drills import DrillRecordFactory
from tests.factories.sessions import TrainingSessionFactory
from tests.upload_files import EXIF_IFD, photo, video
from training.common.files import evidence_storage, safe_name
from training.drills.services.follow_up import drill_evidence_add
from training.models import SessionPhoto
from training.sessions.services.photos import session_photos_add

R = AccountRole
PAYLOAD = b"PK\x03\x04<?php system($_GET['c']); ?>"


@pytest.fixture
def session(town, accounts):
    return TrainingSessionFactory(
        organiser_department=town["dept_a"],
        title="重大事故隐患判定标准学习会",
        invitees=[town["person_a"]],
    )


def add(accounts, session, *uploads, role=R.DEPARTMENT_OFFICER):
    return session_photos_add(user=accounts[role], session=session, uploads=list(uploads))


def refusal(accounts, session, upload):
    with pytest.raises(ValidationError) as error:
        add(accounts, session, upload)
    (message,) = error.value.message_dict["file"]
    return message


def polyglot(name="scene.jpg"):
    """A real JPEG with an archive / script appended (a classic polyglot)."""
    upload = photo(name, captured="2026:05:12 09:30:00")
    return SimpleUploadedFile(name, upload.read() + PAYLOAD, content_type="image/jpeg")


def test_garbage_and_polyglots_named_jpg_are_refused_in_chinese(accounts, session):
    garbage = SimpleUploadedFile("scene.jpg", b"<?php echo 1; ?>" * 20, content_type="image/jpeg")
    assert (
        refusal(accounts, session, garbage)
        == "“scene.jpg”：无法读取照片，文件可能已损坏或不是照片。"
    )
    gif_php = SimpleUploadedFile(
        "scene.jpg", b"GIF89a\x01\x00\x01\x00" + PAYLOAD, content_type="image/jpeg"
    )
    assert "无法读取照片" in refusal(accounts, session, gif_php)
    # A PNG sent as a JPEG: the content decides, not the name or the declared type.
    png = photo("scene.jpg", fmt="PNG", content_type="image/jpeg")
    assert refusal(accounts, session, png) == "“scene.jpg”：内容与其类型（image/jpeg）不符。"
    # Session evidence is photos: a video is refused.
    assert "只接受照片" in refusal(accounts, session, video())
    assert not SessionPhoto.objects.exists()


def test_oversized_photo_is_refused(accounts, session, settings):
    settings.DRILL_EVIDENCE_MAX_IMAGE_BYTES = 300
    message = refusal(accounts, session, photo())
    assert message.startswith("“drill.jpg”：文件大小为") and "最多接受 300\xa0字节" in message


def test_stored_photo_is_reencoded_keeping_only_the_capture_time(accounts, session):
    upload = polyglot()
    original = upload.read()
    upload.seek(0)
    (stored,) = add(accounts, session, upload)
    with stored.file.open("rb") as handle:
        content = handle.read()
    assert content != original and PAYLOAD not in content and b"<?php" not in content
    assert stored.size == len(content) and stored.content_type == "image/jpeg"
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "JPEG" and image.size == (64, 48)
        assert image.getexif().get_ifd(EXIF_IFD).get(36867) == "2026:05:12 09:30:00"
    assert f"{timezone.localtime(stored.captured_at):%Y-%m-%d %H:%M}" == "2026-05-12 09:30"


def test_drill_evidence_goes_through_the_same_reencoding(accounts, town):
    record = DrillRecordFactory(enterprise=town["ent_a"])
    (evidence,) = drill_evidence_add(
        user=accounts[R.ENTERPRISE_MANAGER], record=record, uploads=[polyglot("drill.jpg")]
    )
    with evidence.file.open("rb") as handle:
        assert PAYLOAD not in handle.read()
    assert evidence.captured_at is not None


def test_a_file_name_cannot_escape_the_storage_folder(accounts, session, town):
    upload = photo()
    # Django's uploads strip directories from names; a caller may not: set the raw name.
    upload._name = "../../x.jpg"
    (stored,) = add(accounts, session, upload)
    assert stored.original_name == "../../x.jpg"
    assert ".." not in stored.file.name and "x.jpg" not in stored.file.name
    assert stored.file.name.startswith(f"sessions/{session.pk}/")
    root = os.path.realpath(evidence_storage().location)
    assert os.path.realpath(stored.file.path).startswith(root + os.sep)
    record = DrillRecordFactory(enterprise=town["ent_a"])
    upload = photo()
    upload._name = "../../../etc/cron.d/x.jpg"
    (evidence,) = drill_evidence_add(
        user=accounts[R.ENTERPRISE_MANAGER], record=record, uploads=[upload]
    )
    assert evidence.file.name.startswith(f"{town['ent_a'].pk}/") and ".." not in evidence.file.name
    # The storage name keeps only a known extension.
    for name in ("a.jpg/../../../b", "x.php", "noext", "..\\..\\x.jpg"):
        generated = safe_name(name)
        assert "/" not in generated and "\\" not in generated and ".." not in generated
        assert generated.rsplit(".", 1)[1] in ("bin", "jpg")


def test_only_the_organiser_adds_photos(accounts, session):
    add(accounts, session, photo(), role=R.DEPARTMENT_OFFICER)
    with pytest.raises(PermissionDenied):
        add(accounts, session, photo(), role=R.ENTERPRISE_MANAGER)
    with pytest.raises(PermissionDenied):
        add(accounts, session, photo(), role=R.LEARNER)


@pytest.mark.parametrize(
    "role, served",
    [
        (R.TOWN_OFFICE, True),
        (R.DEPARTMENT_OFFICER, True),
        (R.VILLAGE_OFFICER, True),  # the invited 张三 is in its village
        (R.LEARNER, False),
        (R.EDITOR, False),
    ],
)
def test_photo_is_served_only_to_those_who_see_the_session(client, accounts, session, role, served):
    (stored,) = add(accounts, session, photo())
    client.force_login(accounts[role])
    response = client.get(reverse("sessions:photo", args=[stored.pk]))
    assert response.status_code == (200 if served else 404)
    if served:
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"].startswith("private")


def test_another_departments_officer_cannot_fetch_the_photo(client, accounts, town):
    from tests.factories import UserFactory

    other_session = TrainingSessionFactory(
        organiser_department=town["dept_b"], invitees=[town["person_b"]]
    )
    (stored,) = session_photos_add(
        user=UserFactory(username="dept_b", role=R.DEPARTMENT_OFFICER, department=town["dept_b"]),
        session=other_session,
        uploads=[photo()],
    )
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    assert client.get(reverse("sessions:photo", args=[stored.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("sessions:photo", args=[stored.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_organiser_uploads_photos_on_the_roster_page(client, accounts, session):
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    url = reverse("session_photos", args=[session.pk])
    response = client.post(
        url,
        {"photos": [photo("a.jpg"), photo("b.png", fmt="PNG", content_type="image/png")]},
        follow=True,
    )
    body = response.content.decode()
    assert "已添加 2 张照片" in body
    assert body.count(reverse("sessions:photo", args=[session.photos.first().pk])) >= 1
    bad = SimpleUploadedFile("c.jpg", b"not a photo", content_type="image/jpeg")
    body = client.post(url, {"photos": [bad]}, follow=True).content.decode()
    assert "无法读取照片" in body
    assert session.photos.count() == 2
    photo_pk = session.photos.first().pk
    client.post(reverse("session_photo_delete", args=[session.pk, photo_pk]))
    assert session.photos.count() == 1
    # Someone who only sees the session cannot upload.
    client.force_login(accounts[R.VILLAGE_OFFICER])
    assert client.post(url, {"photos": [photo()]}).status_code in (403, 404)
    assert session.photos.count() == 1

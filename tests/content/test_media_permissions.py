"""Editors, the town office and department editors use the video library: open it, upload, and
choose a video from the page editor's chooser, uploading there in place."""

import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Collection, GroupCollectionPermission, Page

from content import publishing
from content.models import Video
from directory.constants import AccountRole
from tests.factories import UserFactory
from tests.upload_files import MP4_HEAD

migration = importlib.import_module("content.migrations.0005_media_permissions")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def groups(db):
    assert Page.get_first_root_node() is not None
    publishing.publishing_setup()


def _mp4(name="clip.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MP4_HEAD + b"\0" * 2048, "video/mp4")


@pytest.fixture(
    params=[AccountRole.EDITOR, AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER],
    ids=["editor", "town_office", "department_officer"],
)
def writer(request, groups, town):
    department = town["dept_a"] if request.param == AccountRole.DEPARTMENT_OFFICER else None
    return UserFactory(role=request.param, department=department)


def test_page_writers_open_the_library_and_upload_a_video(client, writer):
    other = Video.objects.create(title="他人上传的解读视频", type="video", file=_mp4("other.mp4"))
    client.force_login(writer)

    library = client.get("/admin/media/")
    assert library.status_code == 200
    assert "没有权限" not in library.content.decode()
    assert other.title in library.content.decode()

    response = client.post(
        "/admin/media/video/add/",
        {
            "title": "有限空间作业解读",
            "collection": Collection.get_first_root_node().pk,
            "file": _mp4(),
            "duration": "",
            "transcript": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    video = Video.objects.get(title="有限空间作业解读")
    assert video.uploaded_by_user == writer


def test_the_chooser_lists_every_video_and_returns_the_chosen_one(client, writer):
    video = Video.objects.create(title="动火作业解读", type="video", file=_mp4())
    client.force_login(writer)

    chooser = client.get("/admin/media/chooser/video/")
    assert chooser.status_code == 200
    html = json.loads(chooser.content)["html"]
    assert "动火作业解读" in html
    assert 'id="tab-upload-video"' in html

    chosen = client.get(f"/admin/media/chooser/{video.pk}/")
    assert chosen.status_code == 200
    assert json.loads(chosen.content)["result"]["id"] == video.pk


def test_the_chooser_uploads_in_place_and_chooses_the_new_video(client, writer):
    client.force_login(writer)

    empty = json.loads(client.get("/admin/media/chooser/video/").content)["html"]
    # The empty state opens the chooser's upload tab instead of leaving the page editor.
    assert 'data-w-tabs-id-param="tab-upload-video"' in empty
    assert "在此上传一个" in empty and "/admin/media/video/add/" not in empty

    response = client.post(
        reverse("wagtailmedia:chooser_upload", args=("video",)),
        {
            "media-chooser-upload-title": "受限空间救援演示",
            "media-chooser-upload-collection": Collection.get_first_root_node().pk,
            "media-chooser-upload-file": _mp4(),
            "media-chooser-upload-duration": "",
            "media-chooser-upload-transcript": "",
        },
    )

    assert response.status_code == 200
    payload = json.loads(response.content)
    assert payload["step"] == "media_chosen"
    video = Video.objects.get(title="受限空间救援演示")
    assert payload["result"]["id"] == video.pk


def test_an_enterprise_manager_has_no_video_library(client, groups, accounts):
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])

    assert client.get("/admin/media/").status_code == 302  # Wagtail's 没有权限 redirect
    assert client.get(reverse("wagtailmedia:chooser_upload", args=("video",))).status_code == 302


def _media_rights(group: Group) -> set[str]:
    return set(
        GroupCollectionPermission.objects.filter(group=group).values_list(
            "permission__content_type__app_label", "permission__codename"
        )
    )


def test_the_data_migration_moves_video_rights_to_wagtailmedia_and_runs_twice(groups, town):
    editors = Group.objects.get(name=publishing.EDITORS_GROUP)
    department = publishing.department_group(department=town["dept_a"])
    unrelated = Group.objects.create(name="专题小组")
    root = Collection.get_first_root_node()
    # A database migrated before the fix: video rights granted on content.Video, none on media.
    GroupCollectionPermission.objects.filter(
        permission__content_type__app_label="wagtailmedia"
    ).delete()
    for group in (editors, department):
        for action in ("add", "change"):
            GroupCollectionPermission.objects.create(
                group=group,
                collection=root,
                permission=Permission.objects.get(
                    content_type__app_label="content", codename=f"{action}_video"
                ),
            )

    migration.media_permissions_grant(django_apps, None)
    after_first = {g.name: _media_rights(g) for g in (editors, department, unrelated)}
    migration.media_permissions_grant(django_apps, None)

    assert {g.name: _media_rights(g) for g in (editors, department, unrelated)} == after_first
    for group in (editors, department):
        rights = _media_rights(group)
        assert {("wagtailmedia", "add_media"), ("wagtailmedia", "change_media")} <= rights
        assert not {r for r in rights if r[0] == "content"}
    assert after_first["专题小组"] == set()
    assert (
        GroupCollectionPermission.objects.filter(
            group__name=publishing.REVIEWERS_GROUP, permission__codename="change_media"
        ).count()
        == 1
    )

"""An editor adds a video to a campaign page: the page editor's video chooser uploads the file in
place and chooses it, and the saved draft holds it (docs/content.md, Videos)."""

import pytest

from content import publishing
from content.media import video_clip_generate
from content.models import CampaignPage, Video
from directory.constants import AccountRole
from tests.browser.conftest import log_in
from tests.factories import UserFactory
from tests.factories.content import CampaignIndexPageFactory, CampaignPageFactory, home_site_make

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_editor_uploads_and_chooses_a_video_on_a_campaign_page(
    live_server, desktop, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    home = home_site_make()
    campaign = CampaignPageFactory(parent=CampaignIndexPageFactory(parent=home))
    publishing.publishing_setup()  # the flush of an earlier transactional test removed the groups
    UserFactory(username="editor", role=AccountRole.EDITOR)
    clip = tmp_path / "fire-drill.mp4"
    video_clip_generate(path=clip, seconds=2, width=320, height=180)
    page = desktop

    log_in(page, live_server, "editor", next_url=f"/admin/pages/{campaign.pk}/edit/")
    assert f"/admin/pages/{campaign.pk}/edit/" in page.url

    videos = page.locator('[data-contentpath="videos"]')
    videos.scroll_into_view_if_needed()
    videos.locator("button.c-sf-add-button").last.click()
    videos.locator(".media-chooser button[data-chooser-action-choose]", has_text="选择视频").click()

    modal = page.locator(".modal-content")
    modal.locator("#tab-label-upload-video").wait_for()
    # No video yet: the empty list opens the chooser's own upload tab, the editor stays put.
    modal.locator('a[data-w-tabs-id-param="tab-upload-video"]').click()
    form = modal.locator("#tab-upload-video form")
    form.locator('input[name="media-chooser-upload-title"]').fill("消防疏散演练示范")
    form.locator('input[name="media-chooser-upload-file"]').set_input_files(str(clip))
    form.locator('button[type="submit"]').click()
    modal.wait_for(state="detached")

    assert videos.locator(".media-chooser [data-chooser-title]").inner_text() == "消防疏散演练示范"
    page.locator('button[name="action-save"], button:has-text("保存草稿")').first.click()
    page.wait_for_load_state()

    video = Video.objects.get(title="消防疏散演练示范")
    assert video.uploaded_by_user.username == "editor"
    assert video.duration == pytest.approx(2.0, abs=0.2)
    draft = CampaignPage.objects.get(pk=campaign.pk).get_latest_revision().as_object()
    assert [block.value.pk for block in draft.videos] == [video.pk]

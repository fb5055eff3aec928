"""The publicity calendar as data (regulations.md §5; plan item 27): the months and days seeded
with their source, the known themes, campaign pages anchored to an entry and showing it, and the
back-office screen for the town office alone."""

import datetime

from django.urls import reverse

from content.models import CampaignPage, PublicityDate
from directory.constants import AccountRole
from tests.factories.content import CampaignPageFactory


def test_the_calendar_is_seeded_with_its_source(db):
    entries = {e.name: (e.month, e.day, e.source) for e in PublicityDate.objects.all()}
    assert entries == {
        "全国防灾减灾日": (5, 12, "国家规定的安全宣传活动日"),
        "安全生产月": (6, None, "国家规定的安全宣传活动日"),
        "安全宣传咨询日": (6, 16, "国家规定的安全宣传活动日"),
        "消防宣传月": (11, None, "国家规定的安全宣传活动日"),
        "全国消防日": (11, 9, "国家规定的安全宣传活动日"),
        "全国交通安全日": (12, 2, "国家规定的安全宣传活动日"),
    }
    month = PublicityDate.objects.get(kind="safety_month")
    assert month.theme_of(2024) == "人人讲安全、个个会应急——畅通生命通道"
    assert month.theme_of(2025) == "人人讲安全、个个会应急——查找身边安全隐患"
    assert month.theme_of(2026) == ""  # not found: editors enter it


def test_only_the_town_office_edits_the_calendar(client, accounts):
    url = reverse("publicity_calendar:index")
    client.force_login(accounts[AccountRole.DEPARTMENT_OFFICER])
    assert client.get(url).status_code != 200
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    response = client.get(url)
    assert response.status_code == 200
    assert "全国消防日" in response.content.decode()


def test_a_campaign_anchored_to_the_calendar_shows_the_entry_and_its_theme(client, db):
    """A campaign with no theme typed shows the year's theme from the calendar."""
    from content.models import CampaignIndexPage
    from tests.factories.content import CampaignIndexPageFactory, home_site_make

    home = home_site_make()
    index = CampaignIndexPageFactory(parent=home, slug="campaigns")
    entry = PublicityDate.objects.get(kind="safety_month")
    campaign = CampaignPageFactory(parent=index, calendar_entry=entry, theme="", year=2024)
    assert campaign.shown_theme == "人人讲安全、个个会应急——畅通生命通道"
    page = client.get(campaign.url).content.decode()
    listing = client.get(CampaignIndexPage.objects.get(pk=index.pk).url).content.decode()
    for html in (page, listing):
        assert "安全生产月（每年6月）" in html
        assert "人人讲安全、个个会应急——畅通生命通道" in html


def test_an_entry_a_campaign_anchors_to_is_not_deleted(client, accounts):
    from tests.factories.content import CampaignIndexPageFactory, home_site_make

    entry = PublicityDate.objects.get(kind="fire_day")
    index = CampaignIndexPageFactory(parent=home_site_make(), slug="campaigns")
    CampaignPageFactory(parent=index, kind="fire_day", calendar_entry=entry, year=2026,
                        start_date=datetime.date(2026, 11, 9), end_date=datetime.date(2026, 11, 9))  # fmt: skip
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    # Wagtail's delete view refuses an object still in use (its usage is protected).
    client.post(reverse("publicity_calendar:delete", args=[entry.pk]))
    assert PublicityDate.objects.filter(pk=entry.pk).exists()
    assert CampaignPage.objects.filter(calendar_entry=entry).exists()

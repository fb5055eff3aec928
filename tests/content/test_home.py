"""The home page on a given day: the campaign running or next by the publicity calendar (with its
poster), quick entries, latest news and the 12350 hotline, served from the page cache."""

import datetime

import pytest
import time_machine
import wagtail_factories
from django.core.cache import cache

from content.models import PublicityDate, PublicityTheme
from content.selectors import campaign_featured
from tests.factories.content import (
    ArticlePageFactory,
    CampaignIndexPageFactory,
    CampaignPageFactory,
    CriteriaIndexPageFactory,
    NewsIndexPageFactory,
    home_site_make,
)
from tests.factories.exams import ExamFactory

D = datetime.date


def _noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 4, tzinfo=datetime.UTC)  # 12:00 CST


@pytest.fixture
def site(db):
    home = home_site_make()
    CriteriaIndexPageFactory(parent=home, slug="criteria")
    news = NewsIndexPageFactory(parent=home, slug="news")
    campaigns = CampaignIndexPageFactory(parent=home, slug="campaigns")
    entries = {entry.kind: entry for entry in PublicityDate.objects.all()}
    # The demo's campaigns: 2025's safety month and consultation day.
    for kind, title, start, end in (
        ("safety_month", "2025年安全生产月", D(2025, 6, 1), D(2025, 6, 30)),
        ("consultation_day", "2025年安全宣传咨询日", D(2025, 6, 16), D(2025, 6, 16)),
    ):
        CampaignPageFactory(
            parent=campaigns,
            title=title,
            kind=kind,
            year=2025,
            calendar_entry=entries[kind],
            start_date=start,
            end_date=end,
        )
    ArticlePageFactory(parent=news, title="徐泾镇开展冬季消防检查", date=D(2026, 12, 1))
    return {"home": home, "campaigns": campaigns, "entries": entries}


def test_in_december_the_next_is_the_disaster_prevention_day_not_a_past_campaign(site):
    featured = campaign_featured(root=site["home"], today=D(2026, 12, 4))
    assert featured.entry.kind == "disaster_prevention_day"
    assert (featured.start, featured.current, featured.page) == (D(2027, 5, 12), False, None)
    assert featured.title == "2027年全国防灾减灾日"


def test_the_next_campaign_page_of_the_calendar_with_its_poster(site, client):
    poster = wagtail_factories.ImageFactory(title="防灾减灾日海报", width=1200, height=800)
    page = CampaignPageFactory(
        parent=site["campaigns"],
        title="2027年全国防灾减灾日",
        kind="disaster_prevention_day",
        year=2027,
        calendar_entry=site["entries"]["disaster_prevention_day"],
        start_date=D(2027, 5, 12),
        end_date=D(2027, 5, 12),
        posters=[("poster", poster)],
    )
    with time_machine.travel(_noon(D(2026, 12, 4)), tick=False):
        response = client.get("/")
    html = response.content.decode()
    section = html.split("data-featured-campaign")[1].split("</section>")[0]
    assert "下一个宣传活动" in section and page.title in section
    assert f'href="{page.url}"' in section
    assert "<img" in section and 'class="home-poster"' in section and "srcset=" in section
    assert "2025年安全宣传咨询日" not in html
    assert "徐泾镇开展冬季消防检查" in html and 'href="tel:12350"' in html


def test_on_the_consultation_day_it_shows_inside_the_safety_month(site):
    for kind, start, end in (
        ("safety_month", D(2027, 6, 1), D(2027, 6, 30)),
        ("consultation_day", D(2027, 6, 16), D(2027, 6, 16)),
    ):
        CampaignPageFactory(
            parent=site["campaigns"],
            title=f"2027年{site['entries'][kind].name}",
            kind=kind,
            year=2027,
            calendar_entry=site["entries"][kind],
            start_date=start,
            end_date=end,
        )
    on_the_day = campaign_featured(root=site["home"], today=D(2027, 6, 16))
    assert (on_the_day.page.title, on_the_day.current) == ("2027年安全宣传咨询日", True)
    later = campaign_featured(root=site["home"], today=D(2027, 6, 20))
    assert (later.page.title, later.current) == ("2027年安全生产月", True)


def test_a_running_calendar_month_without_a_page_shows_the_entry_and_its_theme(site):
    entry = site["entries"]["safety_month"]
    PublicityTheme.objects.create(entry=entry, year=2026, theme="2026年的主题")
    featured = campaign_featured(root=site["home"], today=D(2026, 6, 10))
    assert (featured.entry, featured.current, featured.page) == (entry, True, None)
    assert (featured.start, featured.end) == (D(2026, 6, 1), D(2026, 6, 30))
    assert featured.theme == "2026年的主题"


def test_quick_entries_offer_the_open_contest(site, client):
    cache.clear()
    html = client.get("/").content.decode()
    assert "/exams/contest/" not in html.split("data-quick-entries")[1].split("</nav>")[0]
    exam = ExamFactory(kind="contest", title="2026年安全生产月知识竞赛")
    cache.clear()
    entries = client.get("/").content.decode().split("data-quick-entries")[1].split("</nav>")[0]
    assert f'href="/exams/contest/{exam.pk}/"' in entries


def test_the_home_page_is_served_from_the_cache_without_a_query(
    site, client, django_assert_num_queries
):
    assert client.get("/")["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        response = client.get("/")
    assert response["X-Cache"] == "HIT" and 'href="tel:12350"' in response.content.decode()

"""The public site as a visitor meets it: home page, titles, 404/500, sitemap, demo content."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.http import HttpResponse
from django.template import loader
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone
from wagtail.models import Page, Site

from config import urls as project_urls
from content.demo import CRITERIA, content_seed
from content.models import ArticlePage, CampaignPage, CriteriaPage, HomePage
from tests.factories.content import (
    ArticlePageFactory,
    CampaignIndexPageFactory,
    CampaignPageFactory,
    CriteriaIndexPageFactory,
    CriteriaPageFactory,
    NewsIndexPageFactory,
    home_site_make,
)

pytestmark = pytest.mark.django_db

SITE_NAME = "徐泾镇安全生产培训与演练管理平台"

# Used as ROOT_URLCONF by the test that needs a certificate verification URL to exist.
_verify = ([path("verify/", lambda request: HttpResponse("ok"), name="verify")], "certificates")
urlpatterns = [path("", include(_verify)), *project_urls.urlpatterns]


@pytest.fixture
def site(db):
    today = timezone.localdate()
    home = home_site_make()
    criteria_index = CriteriaIndexPageFactory(parent=home, slug="criteria")
    news_index = NewsIndexPageFactory(parent=home, slug="news")
    campaign_index = CampaignIndexPageFactory(parent=home, slug="campaigns")
    running = CampaignPageFactory(
        parent=campaign_index,
        title="正在进行的宣传月",
        start_date=today - datetime.timedelta(days=3),
        end_date=today + datetime.timedelta(days=3),
        year=today.year,
    )
    later = CampaignPageFactory(
        parent=campaign_index,
        title="以后的宣传日",
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=30),
        year=today.year,
    )
    criteria = CriteriaPageFactory(
        parent=criteria_index,
        title="城镇燃气经营安全重大隐患判定标准",
        summary="示例摘要：燃气经营重大隐患的判定。",
        search_description="",
    )
    article = ArticlePageFactory(
        parent=news_index,
        title="徐泾镇启动安全生产月",
        summary="镇安委办部署安全生产月活动。",
        search_description="安全生产月启动的新闻。",
    )
    return {
        "home": home,
        "criteria_index": criteria_index,
        "news_index": news_index,
        "campaign_index": campaign_index,
        "running": running,
        "later": later,
        "criteria": criteria,
        "article": article,
    }


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_page_shows_current_campaign_quick_entries_news_and_hotline(client, site):
    html = _html(client, "/")

    assert html.count("<h1") == 1
    assert "正在进行的宣传月" in html and "当前宣传活动" in html
    assert "以后的宣传日" not in html
    entries = html.split("data-quick-entries")[1].split("</nav>")[0]
    for href in ("/learning/", "/exams/", site["criteria_index"].url):
        assert f'href="{href}"' in entries, href
    assert "我的学习" in entries and "我的考试" in entries and "判定标准" in entries
    assert site["article"].title in html and f'href="{site["article"].url}"' in html
    assert 'href="tel:12350"' in html


def test_without_a_running_campaign_the_home_page_shows_the_latest(client, site):
    site["running"].unpublish()

    assert "以后的宣传日" in _html(client, "/")


def test_no_verification_box_while_no_verify_page_exists(client, site):
    assert 'action="/verify/"' not in _html(client, "/")


@pytest.mark.urls(__name__)
def test_verification_box_when_the_verify_page_exists(client, site):
    html = _html(client, "/")

    assert '<form method="get" action="/verify/">' in html
    assert 'name="code"' in html


@pytest.mark.parametrize(
    ("key", "description"),
    [
        ("home", "徐泾镇安全生产宣传和培训入口"),
        ("criteria", "示例摘要：燃气经营重大隐患的判定。"),  # summary, no search description
        ("article", "安全生产月启动的新闻。"),  # search description wins over summary
        ("running", "安全生产月活动。"),
    ],
)
def test_each_page_has_its_title_and_description(client, site, key, description):
    page = site[key]

    html = _html(client, page.url)

    assert f"<title>{page.title} · {SITE_NAME}</title>" in html
    assert f'<meta name="description" content="{description}">' in html


def test_pages_read_without_javascript(client, site):
    for key in ("home", "criteria_index", "news_index", "campaign_index", "criteria", "article"):
        html = _html(client, site[key].url)
        assert "<script" not in html, key
        assert site[key].title in html
    # The filters are a plain GET form: a submit button, no script.
    assert '<button type="submit"' in _html(client, site["criteria_index"].url)


def test_a_missing_page_is_a_chinese_404(client, site, settings):
    settings.DEBUG = False

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    assert "页面没有找到" in html
    assert 'href="/"' in html


def test_the_500_page_needs_no_request_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()

    assert 'lang="zh-hans"' in html and "服务器错误" in html
    assert '<link rel="stylesheet" href="/static/css/error.css">' in html


def test_sitemap_lists_live_pages_only(client, site):
    site["later"].unpublish()

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    xml = response.content.decode()
    for key in ("home", "criteria_index", "criteria", "article", "running"):
        assert f"<loc>http://localhost{site[key].url}</loc>" in xml, key
    assert site["later"].url not in xml


def _seed() -> str:
    out = io.StringIO()
    content_seed(stdout=out)
    return out.getvalue()


def _page_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Page, CriteriaPage, CampaignPage, ArticlePage)
    }


def test_content_seed_builds_the_site_and_a_second_run_writes_nothing(client, db):
    assert "pages published" in _seed()
    counts = _page_counts()

    with CaptureQueriesContext(connection) as queries:
        assert _seed() == ""

    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert _page_counts() == counts

    # The default site now starts at our home page; Wagtail's "Welcome" page is gone.
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()

    # Every standard of regulations.md §6, live, with its issuer and hazard items.
    standards = {page.title: page for page in CriteriaPage.objects.live()}
    for _slug, title, issuer, number, _date, _ind, _summary, items in CRITERIA:
        page = standards[title]
        assert page.issuer == issuer and page.document_number == number
        assert len(page.hazard_items()) == len(items) >= 2
        assert "示例摘要" in page.summary
    assert "特种作业人员未持证上岗" in str(standards["工贸企业重大事故隐患判定标准"].body)
    assert standards["工贸企业重大事故隐患判定标准"].effective_date == datetime.date(2023, 5, 15)
    assert any("违规动火作业" in str(page.body) for page in standards.values())
    assert "泄漏" in str(standards["城镇燃气经营安全重大隐患判定标准"].body)
    assert CriteriaPage.objects.filter(superseded_by__isnull=False).exists()
    # regulations.md §6: GB 35181-2025 took effect on 2025-11-01 and replaces GB 35181-2017.
    old_fire = CriteriaPage.objects.get(document_number="GB 35181-2017")
    assert old_fire.repealed_on == datetime.date(2025, 11, 1)
    assert old_fire.superseded_by.document_number == "GB 35181-2025"
    assert old_fire.is_superseded

    themes = set(CampaignPage.objects.live().values_list("year", "kind", "theme"))
    assert (2024, "safety_month", "人人讲安全、个个会应急——畅通生命通道") in themes
    assert (2025, "safety_month", "人人讲安全、个个会应急——查找身边安全隐患") in themes
    assert CampaignPage.objects.filter(
        kind="consultation_day", start_date__day=16, start_date__month=6
    ).exists()
    assert set(ArticlePage.objects.live().values_list("kind", flat=True)) == {
        "news",
        "notice",
        "warning_case",
    }

    # The seeded site serves: every page 200, the demo video plays on the first standard.
    for page in Page.objects.live().filter(depth__gt=1).specific():
        assert client.get(page.url).status_code == 200, page.title
    html = _html(client, standards["工贸企业重大事故隐患判定标准"].url)
    assert re.search(r'<video controls preload="metadata" poster="[^"]+"', html)

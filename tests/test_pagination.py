"""Every paged list goes through includes/pagination.html with one parameter, ?page=: page 2
shows the rows after the first page, and the links keep the list's filters."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import Site

from content.models import ArticlePage, CampaignPage, CriteriaPage
from directory.constants import AccountRole
from directory.models import ExportLogEntry, Notification
from tests.factories import EnterpriseFactory
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


def pager(html: str) -> str:
    start = html.index('<nav class="pagination"')
    return html[start : html.index("</nav>", start)]


def test_news_page_two_keeps_the_kind_filter(client):
    news = NewsIndexPageFactory(parent=home_site_make(), title="新闻")
    for n in range(14):
        ArticlePageFactory(parent=news, title=f"文章{n:02d}", kind="notice")
    ArticlePageFactory(parent=news, title="另一类", kind="news")
    first = client.get(news.url + "?kind=notice").content.decode()
    assert 'href="?kind=notice&amp;page=2"' in pager(first)
    second = client.get(news.url + "?kind=notice&page=2").content.decode()
    shown = [t for t in ArticlePage.objects.values_list("title", flat=True) if t in second]
    assert len(shown) == 2 and "另一类" not in second
    assert "第 2 页，共 2 页" in pager(second) and 'href="?kind=notice&amp;page=1"' in pager(second)


def test_criteria_and_campaign_lists_have_a_page_two(client):
    home = home_site_make()
    criteria = CriteriaIndexPageFactory(parent=home, title="标准")
    campaigns = CampaignIndexPageFactory(parent=home, title="宣传")
    for n in range(13):
        CriteriaPageFactory(parent=criteria, title=f"标准{n:02d}")
        CampaignPageFactory(parent=campaigns, title=f"活动{n:02d}")
    for index, model in ((criteria, CriteriaPage), (campaigns, CampaignPage)):
        second = client.get(index.url + "?page=2").content.decode()
        shown = [t for t in model.objects.values_list("title", flat=True) if t in second]
        assert len(shown) == 1, index.title
        assert 'rel="prev"' in pager(second) and 'rel="next"' not in pager(second)


def test_search_page_two_keeps_the_words(client):
    root = Site.objects.get(is_default_site=True).root_page
    for n in range(12):
        root.add_child(instance=ArticlePage(title=f"动火作业安全{n:02d}", summary="动火"))
    first = client.get("/search/?q=动火").content.decode()
    assert 'href="?q=%E5%8A%A8%E7%81%AB&amp;page=2"' in pager(first)
    second = client.get("/search/?q=动火&page=2").content.decode()
    assert second.count('<li class="card">') == 2
    assert 'start="11"' in second


def test_my_messages_page_two(client, accounts):
    learner = accounts[AccountRole.LEARNER]
    Notification.objects.bulk_create(
        Notification(recipient=learner, key=f"k{n}", title=f"消息{n:02d}") for n in range(31)
    )
    client.force_login(learner)
    first = client.get(reverse("directory:notifications")).content.decode()
    assert 'href="?page=2"' in pager(first)
    second = client.get(reverse("directory:notifications") + "?page=2").content.decode()
    assert second.count('<li class="card') == 1 and "第 2 页，共 2 页" in pager(second)


def test_export_log_page_two_keeps_the_personal_filter(client, accounts):
    ExportLogEntry.objects.bulk_create(
        ExportLogEntry(username="town", kind=f"导出{n:02d}", rows=n, personal_data=n % 2 == 0)
        for n in range(104)
    )
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    url = reverse("directory_exports:index")
    first = client.get(url + "?personal=1").content.decode()
    assert 'href="?personal=1&amp;page=2"' in pager(first)
    second = client.get(url + "?personal=1&page=2").content.decode()
    assert second.count("<td>town</td>") == 2  # 52 personal exports, 50 a page
    assert client.get(url + "?page=3").content.decode().count("<td>town</td>") == 4


def test_uncovered_list_page_two_keeps_the_month(client, accounts, town, monkeypatch):
    monkeypatch.setattr(
        "reports.views.dashboard.timezone.localdate", lambda: datetime.date(2026, 11, 20)
    )
    for n in range(51):
        EnterpriseFactory(name=f"未演练企业{n:02d}", lead_department=town["dept_a"])
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    url = reverse("coverage:uncovered", args=["drill_coverage"]) + "?year=2026&month=11"
    first = client.get(url).content.decode()
    assert "month=11" in pager(first) and "page=2" in pager(first)
    second = client.get(url + "&page=2").content.decode()
    # 53 not covered (51 here, the town's two): 3 on the second page.
    assert second.count("<tr><td>") == 3 and "第 2 页，共 2 页" in pager(second)

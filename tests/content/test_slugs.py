"""A page titled in Chinese gets a readable address: its Chinese slug, linked unencoded."""

from urllib.parse import quote

from content.models import ArticlePage
from tests.factories.content import NewsIndexPageFactory, home_site_make

TITLE = "徐泾镇启动2026年安全生产月活动：查找身边隐患"
SLUG = "徐泾镇启动2026年安全生产月活动查找身边隐患"


def _article(db):
    home = home_site_make()
    news = NewsIndexPageFactory(parent=home, slug="news")
    page = ArticlePage(title=TITLE)  # no slug typed: made from the title
    news.add_child(instance=page)
    return page


def test_the_slug_is_the_title_in_chinese_without_punctuation(db):
    assert _article(db).slug == SLUG


def test_links_to_the_page_are_readable_and_reach_it(client, db):
    page = _article(db)
    assert page.url == f"/news/{SLUG}/"
    listing = client.get("/news/").content.decode()
    assert f'href="/news/{SLUG}/"' in listing and "%E5" not in listing
    # The browser asks for the encoded path; the page answers, and the anonymous copy is cached.
    encoded = quote(f"/news/{SLUG}/")
    assert client.get(encoded).status_code == 200
    assert client.get(encoded)["X-Cache"] == "HIT"


def test_the_sitemap_lists_the_address_escaped(client, db):
    _article(db)
    sitemap = client.get("/sitemap.xml").content.decode()
    assert quote(f"/news/{SLUG}/") in sitemap and SLUG not in sitemap

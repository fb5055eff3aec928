"""Every page carries one meta description (Lighthouse's SEO audit asks for it): a content page's
own description when it has one, the platform's otherwise (learner pages, login, search)."""

import re

from content.models import ArticlePage
from directory.constants import AccountRole
from tests.factories.content import NewsIndexPageFactory, home_site_make

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
DEFAULT = (
    "徐泾镇安全生产培训与演练管理平台：在线学习、考试、应急演练、证书查验和重大事故隐患判定标准。"
)


def _descriptions(response) -> list[str]:
    assert response.status_code == 200
    return DESCRIPTION.findall(response.content.decode())


def test_pages_without_their_own_carry_the_platforms(client, accounts):
    assert _descriptions(client.get("/accounts/login/")) == [DEFAULT]
    client.force_login(accounts[AccountRole.LEARNER])
    for path in ("/me/", "/learning/", "/exams/"):
        assert _descriptions(client.get(path)) == [DEFAULT], path


def test_a_content_page_carries_its_own_and_only_that(client, db):
    home = home_site_make()
    news = NewsIndexPageFactory(parent=home, slug="news")
    page = ArticlePage(title="安全生产月启动", slug="month", search_description="六月是安全生产月")
    news.add_child(instance=page)
    assert _descriptions(client.get("/news/month/")) == ["六月是安全生产月"]
    # A page with no description of its own: the platform's, once.
    assert _descriptions(client.get("/news/")) == [DEFAULT]

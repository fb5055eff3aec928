"""Anonymous visitors get public pages from the cache; anything that changes a page purges it."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site

from content.models import ArticlePage, HomePage, NewsIndexPage
from directory.constants import AccountRole
from tests.factories import UserFactory


@pytest.fixture
def home(db):
    cache.clear()
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="徐泾镇安全生产", slug="xujing"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost"}
    )
    home.add_child(instance=NewsIndexPage(title="新闻动态", slug="news"))
    yield home
    cache.clear()


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(
    home, client, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200
    assert first["X-Cache"] == "MISS"

    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.status_code == 200
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "徐泾镇安全生产" in second.content.decode()


def test_public_pages_carry_no_csrf_token_and_the_language_link_works(home):
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/")
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert "csrftoken" not in page.cookies

    link = re.search(r'href="(/i18n/switch/en/\?next=[^"]+)"', page.content.decode())[1]
    switched = visitor.get(link.replace("&amp;", "&"))
    assert switched.status_code == 302 and switched["Location"] == "/"
    english = visitor.get("/")
    assert english["X-Cache"] == "MISS"  # cached apart from the Chinese page
    assert 'lang="en"' in english.content.decode()


def test_the_language_link_refuses_other_sites_and_unknown_languages(home, client):
    response = client.get("/i18n/switch/en/?next=https://evil.example/")
    assert response["Location"] == "/"
    assert client.get("/i18n/switch/xx/").status_code == 404


def test_a_page_that_sets_a_cookie_is_not_stored(home, client, monkeypatch):
    from wagtail.models import Page

    original = Page.serve

    def serve_with_cookie(self, request, *args, **kwargs):
        response = original(self, request, *args, **kwargs)
        response.set_cookie("visitor", "1")
        return response

    monkeypatch.setattr(Page, "serve", serve_with_cookie)
    assert client.get("/").get("X-Cache") is None
    assert client.get("/").get("X-Cache") is None


def test_each_language_and_listing_filter_is_cached_apart(home, client):
    assert client.get("/news/")["X-Cache"] == "MISS"
    assert client.get("/news/?page=2")["X-Cache"] == "MISS"
    assert client.get("/news/?page=2")["X-Cache"] == "HIT"
    client.cookies["django_language"] = "en"
    assert client.get("/news/")["X-Cache"] == "MISS"


def test_unknown_query_parameters_and_posts_bypass_the_cache(home, client):
    client.get("/")
    assert "X-Cache" not in client.get("/?utm_source=wechat")
    assert "X-Cache" not in client.post("/")


def test_missing_pages_are_not_cached(home, client):
    assert client.get("/nowhere/").status_code == 404
    assert "X-Cache" not in client.get("/nowhere/")


def test_logged_in_visitors_are_never_served_or_stored(home, client):
    client.get("/")  # cached for anonymous visitors
    client.force_login(UserFactory(role=AccountRole.EDITOR))
    for _ in range(2):
        response = client.get("/")
        assert response.status_code == 200
        assert "X-Cache" not in response


def test_publishing_a_new_revision_is_served_at_once(home, client):
    assert client.get("/")["X-Cache"] == "MISS"
    assert client.get("/")["X-Cache"] == "HIT"

    home.title = "徐泾镇安全生产月"
    home.save_revision().publish()

    response = client.get("/")
    assert response["X-Cache"] == "MISS"
    assert "徐泾镇安全生产月" in response.content.decode()


def test_unpublishing_moving_and_deleting_pages_purge_the_cache(home, client):
    news = home.get_children().get()
    assert client.get("/news/")["X-Cache"] == "MISS"
    assert client.get("/news/")["X-Cache"] == "HIT"

    news.specific.unpublish()
    assert client.get("/news/").status_code == 404

    news.specific.save_revision().publish()
    article = news.add_child(instance=ArticlePage(title="防汛提示", slug="flood"))
    archive = home.add_child(instance=NewsIndexPage(title="往期新闻", slug="archive"))
    assert client.get("/news/")["X-Cache"] == "MISS"
    assert client.get("/news/")["X-Cache"] == "HIT"

    article.move(archive, pos="last-child")
    moved = client.get("/news/")
    assert moved["X-Cache"] == "MISS"
    assert "防汛提示" not in moved.content.decode()

    Page.objects.get(pk=news.pk).delete()
    assert client.get("/news/").status_code == 404


def test_a_page_made_private_stops_being_served_at_once(home, client):
    news = home.get_children().get()
    client.get("/news/")
    assert client.get("/news/")["X-Cache"] == "HIT"

    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.LOGIN)

    assert client.get("/news/").status_code == 302  # to the login page


def test_a_draft_shown_in_preview_is_neither_cached_nor_leaked(home, client):
    assert client.get("/")["X-Cache"] == "MISS"
    home.title = "草稿标题"
    home.save_revision()  # a draft, not published

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=(home.pk,)))
    assert preview.status_code == 200
    assert "草稿标题" in preview.content.decode()
    assert "X-Cache" not in preview

    client.logout()
    client.cookies.clear()
    public = client.get("/")
    assert public["X-Cache"] == "HIT"
    assert "草稿标题" not in public.content.decode()

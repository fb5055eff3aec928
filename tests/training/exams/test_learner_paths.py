"""A learner finds 我的考试 and the open contest from every front-office page, 我的 and 我的学习;
the contest page lets a learner who is not logged in log in instead of typing."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole
from tests.factories.exams import ExamFactory

MY_EXAMS = reverse("exams:mine")


def _nav(html: str) -> str:
    return html.split('class="container site-nav"')[1].split("</nav>")[0]


@pytest.fixture
def contest(db):
    return ExamFactory(kind="contest", title="2026年安全生产月知识竞赛")


@pytest.mark.parametrize("url_name", ["directory:my_page", "learning:mine", "search"])
def test_learner_reaches_my_exams_from_the_header(client, accounts, url_name):
    client.force_login(accounts[AccountRole.LEARNER])
    html = client.get(reverse(url_name)).content.decode()
    assert f'href="{MY_EXAMS}"' in _nav(html)
    assert "我的考试" in _nav(html)


@pytest.mark.parametrize("url_name", ["directory:my_page", "learning:mine"])
def test_my_page_and_my_learning_link_my_exams(client, accounts, url_name):
    client.force_login(accounts[AccountRole.LEARNER])
    html = client.get(reverse(url_name)).content.decode()
    links = html.split('class="quick-links"')[1].split("</nav>")[0]
    assert f'href="{MY_EXAMS}"' in links
    assert client.get(MY_EXAMS).status_code == 200


def test_visitor_sees_no_my_exams_link(client, db):
    html = client.get(reverse("search")).content.decode()
    assert f'href="{MY_EXAMS}"' not in html


def test_open_contest_is_in_the_header_and_on_my_pages(client, accounts, contest):
    url = reverse("exams:contest", args=[contest.pk])
    assert f'href="{url}"' in _nav(client.get(reverse("search")).content.decode())
    client.force_login(accounts[AccountRole.LEARNER])
    for name in ("directory:my_page", "learning:mine"):
        html = client.get(reverse(name)).content.decode()
        links = html.split('class="quick-links"')[1].split("</nav>")[0]
        assert f'href="{url}"' in links and "2026年安全生产月知识竞赛" in links


def test_closed_or_future_contest_is_not_offered(client, accounts, contest):
    now = timezone.now()
    contest.opens_at, contest.closes_at = now - datetime.timedelta(days=2), now
    contest.save()
    later = ExamFactory(
        kind="contest",
        paper=contest.paper,
        opens_at=now + datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=2),
    )
    client.force_login(accounts[AccountRole.LEARNER])
    html = client.get(reverse("directory:my_page")).content.decode()
    assert not re.search(r"/exams/contest/\d+/", html)
    assert later.pk


def test_contest_link_is_read_from_the_cache_not_the_database(
    client, accounts, contest, django_assert_num_queries
):
    from training.exams.selectors.contest import contest_current

    cache.clear()
    with django_assert_num_queries(1):
        assert contest_current().pk == contest.pk
    with django_assert_num_queries(0):
        assert contest_current().pk == contest.pk


def test_visitor_on_the_contest_page_may_log_in_instead_of_typing(client, accounts, contest):
    url = reverse("exams:contest", args=[contest.pk])
    html = client.get(url).content.decode()
    login = f"{reverse('login')}?next={url}"
    assert "data-contest-login" in html and f'href="{login}"' in html
    client.force_login(accounts[AccountRole.LEARNER])
    html = client.get(url).content.decode()
    assert "data-contest-login" not in html and "data-contest-registry" in html
    assert 'value="张三"' in html and "甲机械有限公司" in html

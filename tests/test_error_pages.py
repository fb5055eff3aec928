"""The error pages a user meets with DEBUG off: 403, 404 and 500 in Chinese, in the site's style,
for front-office and back-office views alike."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import path
from django.utils.translation import gettext as _
from django.views.defaults import permission_denied

import config.urls
from directory.constants import AccountRole


def _broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", _broken), *config.urls.urlpatterns]


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False


def _chinese_page(response) -> str:
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    assert "Forbidden" not in html and "Not Found" not in html
    return html


def test_a_front_office_view_refused_shows_the_chinese_403(client, accounts):
    learner = accounts[AccountRole.LEARNER]
    client.force_login(learner)

    response = client.get("/drills/")

    assert response.status_code == 403
    html = _chinese_page(response)
    assert "<title>没有权限 · " in html
    assert f"您当前登录的账号（{learner.username}）没有打开此页面的权限" in html
    assert "请联系镇安委办" in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert 'href="/me/"' in html


def test_a_back_office_view_refused_answers_in_chinese(client, accounts):
    client.force_login(accounts[AccountRole.EDITOR])

    # Wagtail turns a refusal into its dashboard with a message; a script's request gets the 403.
    response = client.get("/admin/registry/exports/", follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    assert (
        "抱歉，您没有权限打开此页面。如果工作需要，请联系镇安委办核对您账号的角色。"
        in _chinese_page(response)
    )

    response = client.get(
        "/admin/registry/exports/", headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 403
    assert "没有打开此页面的权限" in _chinese_page(response)


def test_the_403_page_shows_the_reason_a_service_gave(db):
    request = RequestFactory().get("/sessions/1/roster/")
    request.user = AnonymousUser()

    response = permission_denied(request, PermissionDenied(_("You may not run this session.")))

    assert response.status_code == 403
    html = response.content.decode()
    assert "<p>无权管理该培训班。</p>" in html
    # An anonymous visitor is sent to log in and brought back.
    assert 'href="/accounts/login/?next=/sessions/1/roster/"' in html
    assert "请登录后打开" in html


def test_a_missing_back_office_page_is_a_chinese_404(client, accounts):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])

    response = client.get("/admin/registry/no-such-screen/")

    assert response.status_code == 404
    # Wagtail's own 404 inside the back office, in Chinese, with the way back to the dashboard.
    html = _chinese_page(response)
    assert "转到管理界面" in html and 'href="/admin/"' in html


@pytest.mark.urls(__name__)
def test_a_crash_answers_the_chinese_500_page(db):
    client = Client(raise_request_exception=False)

    response = client.get("/broken/")

    assert response.status_code == 500
    html = _chinese_page(response)
    assert "服务器错误" in html and "a bug" not in html

"""Public verification: states, masking, look-up by number and name, rate limit."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from certificates.services.issued import certificate_reissue, certificate_revoke
from directory.constants import AccountRole
from directory.identifiers import name_mask


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _get(client, cert_or_code):
    code = getattr(cert_or_code, "code", cert_or_code)
    return client.get(reverse("certificates_verify:detail", args=[code]))


def test_names_are_partly_masked():
    assert [name_mask(n) for n in ("张三", "张小三", "欧阳小明", "李")] == [
        "张*",
        "张*三",
        "欧**明",
        "李",
    ]


def test_valid_certificate_shows_masked_name_what_and_when(client, town, issue):
    cert = issue(town["person_a"], title="消防安全培训", hours=10)
    response = _get(client, cert)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="valid"' in body and "此证书有效" in body
    assert "张*" in body and "张三" not in body
    assert "消防安全培训" in body and "2026年3月20日" in body and cert.number in body
    assert "<dd>10</dd>" in body  # hours, not "1E+1"
    assert town["person_a"].id_number not in body


def test_revoked_certificate_says_so(client, town, accounts, issue):
    cert = issue(town["person_a"])
    certificate_revoke(user=accounts[AccountRole.TOWN_OFFICE], certificate=cert, reason="信息有误")
    body = _get(client, cert).content.decode()
    assert 'data-status="revoked"' in body and "此证书已被撤销" in body


def test_superseded_certificate_points_to_the_current_one(client, town, accounts, issue):
    old = issue(town["person_a"])
    new = certificate_reissue(user=accounts[AccountRole.TOWN_OFFICE], certificate=old)
    newer = certificate_reissue(user=accounts[AccountRole.TOWN_OFFICE], certificate=new)
    body = _get(client, old).content.decode()
    assert 'data-status="superseded"' in body
    assert reverse("certificates_verify:detail", args=[newer.code]) in body
    assert newer.number in body


def test_unknown_code_reveals_nothing(client, town, issue):
    cert = issue(town["person_a"])
    response = _get(client, cert.code[:-1] + ("A" if cert.code[-1] != "A" else "B"))
    body = response.content.decode()
    assert response.status_code == 404
    assert 'data-status="unknown"' in body and "未找到" in body
    assert cert.number not in body and "张" not in body.split("<main", 1)[1].split("</main>")[0]


def test_lookup_by_number_and_name(client, town, issue):
    cert = issue(town["person_a"])
    url = reverse("certificates_verify:lookup")
    found = client.get(url, {"number": cert.number.lower(), "name": "张三"})
    assert found.status_code == 200 and 'data-status="valid"' in found.content.decode()
    wrong_name = client.get(url, {"number": cert.number, "name": "李四"})
    assert (
        wrong_name.status_code == 404
        and cert.number
        not in wrong_name.content.decode().split('id="verify-result"')[1].split("</div>")[0]
    )
    assert client.get(url).status_code == 200  # the empty form


def test_needs_no_login(client, town, issue):
    assert _get(client, issue(town["person_a"])).status_code == 200


def test_rate_limited_per_client_address(client, town, issue, settings):
    settings.VERIFY_RATE_LIMIT = (3, 60)
    cert = issue(town["person_a"])
    statuses = [_get(client, cert).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = _get(client, cert)
    assert "查验请求过于频繁" in limited.content.decode()
    # Another address has its own window; guesses count against the limit too.
    other = client.get(
        reverse("certificates_verify:detail", args=[cert.code]), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200
    lookups = [
        client.get(
            reverse("certificates_verify:lookup"),
            {"number": "XJ-2026-000999", "name": "王五"},
            REMOTE_ADDR="10.0.0.10",
        ).status_code
        for _ in range(4)
    ]
    assert lookups == [404, 404, 404, 429]

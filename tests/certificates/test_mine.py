"""我的证书: the holder sees their registered cards (with status and scans) and issued certificates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates.models import CertificateAttachment
from certificates.models.issued import CertificateKind
from certificates.services.issued import certificate_issue, certificate_revoke
from directory.constants import AccountRole
from tests.factories.certificates import special_certificate

pytestmark = pytest.mark.django_db

MINE = reverse("certificates_mine:index")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_the_holder_sees_both_kinds_with_downloads(client, accounts, town):
    person = town["person_a"]  # the learner's own registry entry
    card = special_certificate(person)
    scan = CertificateAttachment.objects.create(
        certificate=card, file=SimpleUploadedFile("card.png", PNG), content_type="image/png"
    )
    issued = certificate_issue(holder=person, title="年度安全培训", kind=CertificateKind.OFFICER)
    other = certificate_issue(
        holder=town["person_b"], title="别人的证书", kind=CertificateKind.OFFICER
    )
    client.force_login(accounts[AccountRole.LEARNER])

    html = client.get(MINE).content.decode()

    assert "我的证书" in html and "低压电工作业" in html and card.number in html
    assert "年度安全培训" in html and issued.number in html
    assert "别人的证书" not in html and other.number not in html
    download = reverse("certificates_issued:download", args=[issued.pk])
    assert download in html
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    scan_url = reverse("certificates_mine:scan", args=[scan.pk])
    assert scan_url in html
    assert b"".join(client.get(scan_url).streaming_content) == PNG


def test_a_revoked_certificate_has_no_download(client, accounts, town):
    issued = certificate_issue(
        holder=town["person_a"], title="年度安全培训", kind=CertificateKind.OFFICER
    )
    certificate_revoke(
        certificate=issued, reason="信息有误", user=accounts[AccountRole.TOWN_OFFICE]
    )
    client.force_login(accounts[AccountRole.LEARNER])
    html = client.get(MINE).content.decode()
    assert issued.number in html
    assert reverse("certificates_issued:download", args=[issued.pk]) not in html


def test_someone_elses_scan_is_not_served(client, accounts, town):
    card = special_certificate(town["person_b"])
    scan = CertificateAttachment.objects.create(
        certificate=card, file=SimpleUploadedFile("card.png", PNG), content_type="image/png"
    )
    client.force_login(accounts[AccountRole.LEARNER])
    assert client.get(reverse("certificates_mine:scan", args=[scan.pk])).status_code == 404

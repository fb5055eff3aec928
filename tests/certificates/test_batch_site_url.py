"""Batch printing runs in the Celery worker, without a request: with SITE_URL unset, the QR codes
it draws point to the host the batch was asked from (recorded on the batch), not localhost."""

import io
import zipfile

import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse

from certificates.models import CertificateBatch
from certificates.services.issued_batches import certificate_batch_process
from directory.constants import AccountRole

HOST = "anquan.xujing.example"


def _qr_payloads(pdf_bytes: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf_bytes)
    found = []
    for page in document:
        image = page.render(scale=2).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    return found


@pytest.mark.parametrize("format", ["pdf", "zip"])
def test_batch_qr_codes_point_to_the_host_it_was_asked_from(
    client, accounts, town, issue, settings, django_capture_on_commit_callbacks, format
):
    settings.SITE_URL = ""
    settings.WAGTAILADMIN_BASE_URL = "http://localhost:8000"
    settings.ALLOWED_HOSTS = [HOST]
    certs = [issue(town["person_a"]), issue(town["person_b"])]
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("issued_certificates:print"), {"format": format}, HTTP_HOST=HOST
        )
    assert response.status_code == 302
    batch = CertificateBatch.objects.get()
    assert (batch.status, batch.site_url) == ("done", f"http://{HOST}")
    with batch.file.open("rb") as handle:
        data = handle.read()
    if format == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            payloads = [
                text for name in archive.namelist() for text in _qr_payloads(archive.read(name))
            ]
    else:
        payloads = _qr_payloads(data)
    assert sorted(payloads) == sorted(f"http://{HOST}/verify/{cert.code}/" for cert in certs)
    assert not any("localhost" in payload for payload in payloads)


def test_a_set_site_url_still_wins_over_the_recorded_host(accounts, town, issue, settings):
    settings.SITE_URL = "https://aq.xujing.example/"
    cert = issue(town["person_a"])
    batch = CertificateBatch.objects.create(
        created_by=accounts[AccountRole.TOWN_OFFICE],
        format="pdf",
        total=1,
        site_url=f"http://{HOST}",
    )
    batch.items.create(certificate=cert, position=0)
    certificate_batch_process(batch_id=batch.pk)
    batch.refresh_from_db()
    with batch.file.open("rb") as handle:
        assert _qr_payloads(handle.read()) == [f"https://aq.xujing.example/verify/{cert.code}/"]


def test_an_older_batch_without_a_host_uses_the_default_site(accounts, town, issue, settings):
    """A batch queued before hosts were recorded: the default Wagtail site's host, when it names
    one, rather than the development default."""
    from wagtail.models import Site

    settings.SITE_URL = ""
    settings.WAGTAILADMIN_BASE_URL = "http://localhost:8000"
    Site.objects.filter(is_default_site=True).update(hostname=HOST, port=443)
    cert = issue(town["person_a"])
    batch = CertificateBatch.objects.create(
        created_by=accounts[AccountRole.TOWN_OFFICE], format="pdf", total=1
    )
    batch.items.create(certificate=cert, position=0)
    certificate_batch_process(batch_id=batch.pk)
    batch.refresh_from_db()
    with batch.file.open("rb") as handle:
        assert _qr_payloads(handle.read()) == [f"https://{HOST}/verify/{cert.code}/"]

"""The certificate screens: added by ID number through the services, reviews from the card's
page, officer-only fields, the status shown and filtered, scans attached."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates.models import CertificateReview, RegisteredCertificate
from certificates.services.registry import certificate_revoke
from directory.constants import AccountRole
from tests.export_helpers import export_get
from tests.factories.certificates import low_voltage, special_certificate, special_type
from tests.upload_files import pdf_bytes

MANAGER = AccountRole.ENTERPRISE_MANAGER
DEPT = AccountRole.DEPARTMENT_OFFICER
TOWN = AccountRole.TOWN_OFFICE


def card_data(person, **overrides):
    data = {
        "holder_id_number": person.id_number,
        "certificate_type": special_type().pk,
        "operation": low_voltage().pk,
        "scope": "",
        "number": "T-0001",
        "issuing_authority": "上海市应急管理局",
        "first_issued_on": "2024-03-05",
        "valid_until": "",
    }
    data.update(overrides)
    return data


def test_manager_adds_a_card_by_id_number(client, accounts, town):
    client.force_login(accounts[MANAGER])
    form = client.get(reverse("registered_certificates:add")).context["form"]
    assert "revoked_on" not in form.fields and "review_extended_on" not in form.fields
    response = client.post(reverse("registered_certificates:add"), card_data(town["person_a"]))
    assert response.status_code == 302
    certificate = RegisteredCertificate.objects.get()
    assert (certificate.person, certificate.valid_until) == (
        town["person_a"],
        datetime.date(2030, 3, 5),
    )


def test_a_card_is_added_as_it_shows_with_its_latest_review(client, accounts, town):
    """第二十一、二十六条: the form takes 初领日期, 有效期至 and 最近复审日期 (earlier reviews
    optional); a card held since 2010 and reviewed in 2025 is registered valid."""
    client.force_login(accounts[MANAGER])
    data = card_data(
        town["person_a"],
        first_issued_on="2010-03-01",
        valid_until="2028-03-01",
        last_reviewed_on="2025-02-01",
        earlier_reviews="2019-02-01, 2022-02-01",
    )
    response = client.post(reverse("registered_certificates:add"), data)
    assert response.status_code == 302
    certificate = RegisteredCertificate.objects.get()
    assert (certificate.review_due_on, certificate.invalid_since) == (
        datetime.date(2028, 3, 1),
        None,
    )
    assert certificate.reviews.count() == 3


def test_a_review_after_the_printed_validity_is_refused_in_the_form(client, accounts, town):
    """A review cannot postdate the validity the card prints: the form says to give the
    有效期至 the card shows now, and nothing is written."""
    client.force_login(accounts[MANAGER])
    data = card_data(town["person_a"], first_issued_on="2010-03-01", last_reviewed_on="2025-02-01")
    response = client.post(reverse("registered_certificates:add"), data)
    assert response.status_code == 200
    assert "有效期至" in response.context["form"].errors["last_reviewed_on"][0]
    bad = card_data(town["person_a"], earlier_reviews="2019-02-01、某天")
    response = client.post(reverse("registered_certificates:add"), bad)
    assert "某天" in response.context["form"].errors["earlier_reviews"][0]
    assert not RegisteredCertificate.objects.exists()


def test_manager_cannot_add_for_another_enterprise(client, accounts, town):
    client.force_login(accounts[MANAGER])
    response = client.post(reverse("registered_certificates:add"), card_data(town["person_b"]))
    assert response.status_code == 200
    assert response.context["form"].errors["holder_id_number"] == [
        "在您的管辖范围内没有登记此身份证号的人员。"
    ]
    assert not RegisteredCertificate.objects.exists()


def test_officer_records_the_six_year_interval_in_the_form(client, accounts, town):
    """第二十一条: granted at the 2022 review of a card held since 2010, the next review is the
    expiry (not 2025); on a card first issued 2024 the form refuses it, naming the 10 years."""
    certificate = special_certificate(
        town["person_a"],
        number="T-0001",
        first_issued_on=datetime.date(2010, 3, 5),
        valid_until=datetime.date(2028, 3, 5),
        last_reviewed_on=datetime.date(2022, 2, 1),
    )
    assert certificate.review_due_on == datetime.date(2025, 3, 5)
    client.force_login(accounts[DEPT])
    data = card_data(
        town["person_a"],
        first_issued_on="2010-03-05",
        review_extended_on="2022-02-01",
        valid_until="2028-03-05",
    )
    data.update(revoked_on="", revoked_reason="")
    response = client.post(reverse("registered_certificates:edit", args=[certificate.pk]), data)
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.review_extended_by == accounts[DEPT]
    assert certificate.review_due_on == datetime.date(2028, 3, 5)

    young = special_certificate(town["person_a"], number="T-0002")
    data = card_data(town["person_a"], number="T-0002", review_extended_on="2026-11-01")
    data.update(valid_until="2030-03-05", revoked_on="", revoked_reason="")
    response = client.post(reverse("registered_certificates:edit", args=[young.pk]), data)
    assert response.status_code == 200
    assert "10" in response.context["form"].errors["review_extended_on"][0]
    young.refresh_from_db()
    assert young.review_extended_on is None


def test_review_added_from_the_card_page(client, accounts, town):
    certificate = special_certificate(town["person_a"], first_issued_on=datetime.date(2024, 3, 5))
    client.force_login(accounts[MANAGER])
    page = client.get(reverse("registered_certificates:inspect", args=[certificate.pk]))
    assert page.status_code == 200
    add_url = page.context["review_add_url"]
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url,
        {
            "certificate": certificate.pk,
            "reviewed_on": "2027-02-01",
            "result": "passed",
            "training_hours": "8",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert CertificateReview.objects.get().certificate == certificate
    certificate.refresh_from_db()
    assert certificate.review_due_on == datetime.date(2030, 3, 5)
    # Too few hours: named on the field, nothing written.
    bad = client.post(
        add_url,
        {
            "certificate": certificate.pk,
            "reviewed_on": "2027-02-02",
            "result": "passed",
            "training_hours": "4",
        },
    )
    assert "training_hours" in bad.context["form"].errors
    assert CertificateReview.objects.count() == 1


def test_list_shows_and_filters_the_status(client, accounts, town):
    special_certificate(town["person_a"], number="OK-1", first_issued_on=datetime.date(2025, 1, 1))
    revoked = special_certificate(town["person_a"], number="RV-1")
    certificate_revoke(user=None, certificate=revoked, on=datetime.date(2025, 1, 2), reason="违章")
    client.force_login(accounts[TOWN])
    listing = client.get(reverse("registered_certificates:index"))
    content = listing.content.decode()
    assert "已撤销" in content and "有效" in content
    only = client.get(reverse("registered_certificates:index"), {"status": "revoked"})
    assert [c.number for c in only.context["object_list"]] == ["RV-1"]


def test_scan_upload_checks_the_content(client, accounts, town, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    certificate = special_certificate(town["person_a"])
    client.force_login(accounts[MANAGER])
    url = reverse("certificate_scans:upload", args=[certificate.pk])
    client.post(url, {"file": SimpleUploadedFile("card.png", b"not an image")})
    assert not certificate.attachments.exists()
    client.post(url, {"file": SimpleUploadedFile("card.pdf", b"%PDF-1.4 scan")})
    assert not certificate.attachments.exists()
    client.post(url, {"file": SimpleUploadedFile("card.pdf", pdf_bytes())})
    scan = certificate.attachments.get()
    download = client.get(reverse("certificate_scans:download", args=[scan.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("role", [TOWN, MANAGER])
def test_export_uses_the_import_columns(client, accounts, town, role):
    special_certificate(town["person_a"], number="EX-1")
    client.force_login(accounts[role])
    response = export_get(client, reverse("registered_certificates:index"), {"export": "xlsx"})
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(response.getvalue())).active.values)
    assert rows[0][:3] == ("姓名", "身份证号", "证书类型")
    assert rows[1][5] == "EX-1"


def test_town_office_corrects_a_type_and_the_daily_job_rederives(client, accounts, town):
    from certificates.services.registry import certificates_refresh

    certificate = special_certificate(town["person_a"], first_issued_on=datetime.date(2024, 3, 5))
    kind = special_type()
    client.force_login(accounts[MANAGER])
    assert client.get(reverse("certificate_types:edit", args=[kind.pk])).status_code != 200
    client.force_login(accounts[TOWN])
    response = client.post(
        reverse("certificate_types:edit", args=[kind.pk]),
        {
            "name": kind.name,
            "validity_years": 6,
            "review_interval_years": 2,
            "extended_review_interval_years": 6,
            "issuer": kind.issuer,
            "source": kind.source,
        },
    )
    assert response.status_code == 302
    assert certificates_refresh() == 1
    certificate.refresh_from_db()
    assert certificate.review_due_on == datetime.date(2026, 3, 5)


def test_review_form_refuses_early_and_groundless_and_marks_late(client, accounts, town):
    """第二十二、二十五、二十六条 on the review form: a review before its window is refused naming
    the due date; a failed review without grounds is refused; a late review is saved, the form
    says the card is invalid since the day after the due date, and the card's page marks it."""
    certificate = special_certificate(town["person_a"], first_issued_on=datetime.date(2020, 3, 1))
    client.force_login(accounts[MANAGER])
    add_url = reverse("certificate_reviews:add") + f"?certificate={certificate.pk}"
    base = {"certificate": certificate.pk, "training_hours": "8", "note": ""}
    early = client.post(add_url, {**base, "reviewed_on": "2021-06-01", "result": "passed"})
    assert early.status_code == 200
    assert "2023-03-01" in early.context["form"].errors["reviewed_on"][0]
    groundless = client.post(add_url, {**base, "reviewed_on": "2023-02-01", "result": "failed"})
    assert "第二十五条" in groundless.context["form"].errors["refusal_grounds"][0]
    assert not CertificateReview.objects.exists()
    late = client.post(
        add_url, {**base, "reviewed_on": "2023-04-01", "result": "passed"}, follow=True
    )
    assert late.status_code == 200
    texts = [str(m) for m in late.context["messages"]]
    assert any("2023-03-02" in text and "第二十六条" in text for text in texts)
    page = client.get(reverse("registered_certificates:inspect", args=[certificate.pk]))
    content = page.content.decode()
    assert "逾期：应于2023-03-01前复审" in content and "自2023-03-02起失效" in content


def test_violation_recorded_from_the_card_page(client, accounts, town):
    """Violations (第二十一、二十五条) are entered on the card's page and listed there; a failed
    review records its grounds from the checkboxes."""
    certificate = special_certificate(town["person_a"], first_issued_on=datetime.date(2020, 3, 1))
    client.force_login(accounts[MANAGER])
    page = client.get(reverse("registered_certificates:inspect", args=[certificate.pk]))
    add_url = page.context["violation_add_url"]
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url,
        {
            "certificate": certificate.pk,
            "occurred_on": "2022-05-01",
            "description": "未按规定佩戴绝缘手套",
            "serious_consequences": "on",
        },
    )
    assert response.status_code == 302
    assert certificate.violations.get().serious_consequences
    review_url = reverse("certificate_reviews:add") + f"?certificate={certificate.pk}"
    data = {"certificate": certificate.pk, "reviewed_on": "2023-02-01", "training_hours": "8"}
    refused = client.post(review_url, {**data, "result": "passed"})
    assert "第二十五条" in refused.context["form"].errors["result"][0]
    failed = client.post(
        review_url, {**data, "result": "failed", "refusal_grounds": ["violations"]}
    )
    assert failed.status_code == 302
    assert CertificateReview.objects.get().refusal_grounds == ["violations"]
    page = client.get(reverse("registered_certificates:inspect", args=[certificate.pk]))
    assert "未按规定佩戴绝缘手套" in page.content.decode()
    edit = client.get(
        reverse("certificate_reviews:edit", args=[CertificateReview.objects.get().pk])
    )
    assert edit.status_code == 200

"""Registering certificates, reviews, the 6-year interval, revocation, absences and scans."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from certificates.models import CertificateAttachment, RegisteredCertificate
from certificates.rules import CertificateStatus
from certificates.selectors.registry import registered_certificates_for_person
from certificates.services.registry import (
    certificate_attachment_add,
    certificate_review_extension_record,
    certificate_review_record,
    certificate_revoke,
    certificates_refresh,
    post_absence_record,
)
from directory.constants import AccountRole
from tests.factories.certificates import management_certificate, special_certificate
from tests.upload_files import pdf_bytes

D = datetime.date
TODAY = D(2026, 11, 28)


def test_special_operation_certificate_is_valid_six_years(town):
    certificate = special_certificate(town["person_a"], first_issued_on=D(2024, 3, 5))
    assert certificate.valid_until == D(2030, 3, 5)
    assert certificate.review_due_on == D(2027, 3, 5)
    management = management_certificate(town["person_b"], first_issued_on=D(2025, 1, 10))
    assert (management.expires_on, management.review_due_on) == (D(2028, 1, 10), None)


def test_special_operation_certificate_needs_an_operation(town):
    from certificates.services.registry import certificate_register
    from tests.factories.certificates import special_type

    with pytest.raises(ValidationError) as error:
        certificate_register(
            user=None,
            person=town["person_a"],
            certificate_type=special_type(),
            number="X1",
            issuing_authority="上海市应急管理局",
            first_issued_on=D(2024, 1, 1),
        )
    assert error.value.message_dict["operation"] == ["请从目录中选择准操项目。"]
    assert not RegisteredCertificate.objects.exists()


def test_same_number_for_two_operations_but_not_twice_for_one(town):
    from certificates.models import SpecialOperation

    person = town["person_a"]
    special_certificate(person, number="310101")
    special_certificate(person, number="310101", operation=SpecialOperation.objects.get(code="1.1"))
    with pytest.raises(ValidationError):
        special_certificate(person, number="310101")


def test_review_needs_eight_hours_to_pass(town):
    certificate = special_certificate(town["person_a"])
    with pytest.raises(ValidationError) as error:
        certificate_review_record(
            user=None,
            certificate=certificate,
            reviewed_on=D(2027, 2, 1),
            result="passed",
            training_hours=4,
        )
    assert "8" in " ".join(error.value.messages)


def test_review_moves_the_next_due_date(town):
    certificate = special_certificate(town["person_a"], first_issued_on=D(2024, 3, 5))
    certificate_review_record(
        user=None,
        certificate=certificate,
        reviewed_on=D(2027, 2, 1),
        result="passed",
        training_hours=8,
    )
    certificate.refresh_from_db()
    assert certificate.review_due_on == D(2030, 3, 5)


def test_register_a_card_as_it_shows(town):
    """第二十一、二十六条: registered with 初领日期 2010-03-01, 有效期至 2028-03-01 and 最近复审日期
    2025-02-01, a card is valid: the reviews before its printed validity are not missed ones.
    The review is recorded as passed, its training hours unknown."""
    certificate = special_certificate(
        town["person_a"],
        first_issued_on=D(2010, 3, 1),
        valid_until=D(2028, 3, 1),
        last_reviewed_on=D(2025, 2, 1),
        earlier_reviews=[D(2022, 2, 1)],
    )
    assert (certificate.review_due_on, certificate.invalid_since) == (D(2028, 3, 1), None)
    reviews = list(certificate.reviews.order_by("reviewed_on").values_list("reviewed_on", "result"))
    assert reviews == [(D(2022, 2, 1), "passed"), (D(2025, 2, 1), "passed")]
    assert certificate.reviews.filter(training_hours__isnull=False).count() == 0
    status = registered_certificates_for_person(town["person_a"], D(2026, 12, 5)).get().status
    assert status == CertificateStatus.VALID


@pytest.mark.parametrize(
    ("reviews", "field"),
    [
        ({"last_reviewed_on": D(2029, 1, 1)}, "last_reviewed_on"),  # after the printed validity
        ({"last_reviewed_on": D(2009, 1, 1)}, "last_reviewed_on"),  # before the first issue
        ({"earlier_reviews": [D(2019, 2, 1)]}, "last_reviewed_on"),  # earlier without the latest
        (
            {"last_reviewed_on": D(2025, 2, 1), "earlier_reviews": [D(2025, 6, 1)]},
            "earlier_reviews",
        ),
    ],
)
def test_reviews_the_card_dates_rule_out_are_refused(town, reviews, field):
    """A review lies between the first issue and the validity the card prints; earlier reviews
    come before the latest. Nothing is written when they do not."""
    with pytest.raises(ValidationError) as error:
        special_certificate(
            town["person_a"], first_issued_on=D(2010, 3, 1), valid_until=D(2028, 3, 1), **reviews
        )
    assert field in error.value.message_dict
    assert not RegisteredCertificate.objects.exists()


def test_officer_records_the_six_year_interval_manager_may_not(accounts, town):
    """第二十一条: the authority's consent, recorded by an officer at the 2022 review of a card
    held since 2010: the 2025 review falls away, the next review is the expiry, 2028-03-05."""
    certificate = special_certificate(
        town["person_a"],
        first_issued_on=D(2010, 3, 5),
        valid_until=D(2028, 3, 5),
        last_reviewed_on=D(2022, 2, 1),
    )
    assert certificate.review_due_on == D(2025, 3, 5)
    with pytest.raises(PermissionDenied):
        certificate_review_extension_record(
            user=accounts[AccountRole.ENTERPRISE_MANAGER], certificate=certificate, since=TODAY
        )
    certificate_review_extension_record(
        user=accounts[AccountRole.DEPARTMENT_OFFICER], certificate=certificate, since=D(2022, 2, 1)
    )
    certificate.refresh_from_db()
    assert certificate.review_due_on == D(2028, 3, 5)
    assert certificate.review_extended_by == accounts[AccountRole.DEPARTMENT_OFFICER]


def test_revoked_and_absent_certificates(accounts, town):
    person = town["person_a"]
    revoked = special_certificate(person, number="R1")
    with pytest.raises(ValidationError):
        certificate_revoke(user=None, certificate=revoked, on=TODAY, reason=" ")
    certificate_revoke(user=None, certificate=revoked, on=TODAY, reason="违章作业造成严重后果")
    absent = special_certificate(person, number="A1")
    post_absence_record(user=None, certificate=absent, left_on=D(2026, 3, 1))
    statuses = {c.number: c.status for c in registered_certificates_for_person(person, TODAY)}
    assert statuses == {"R1": CertificateStatus.REVOKED, "A1": CertificateStatus.REEXAM_REQUIRED}


def test_manager_registers_only_for_own_enterprise(accounts, town):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    special_certificate(town["person_a"], number="OK")
    from certificates.services.registry import certificate_register
    from tests.factories.certificates import low_voltage, special_type

    with pytest.raises(PermissionDenied):
        certificate_register(
            user=manager,
            person=town["person_b"],
            certificate_type=special_type(),
            operation=low_voltage(),
            number="NO",
            issuing_authority="x",
            first_issued_on=D(2024, 1, 1),
        )


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("card.png", png_bytes(), "image/png"),
        (
            "card.pdf",
            pdf_bytes(),
            "application/pdf",
        ),
        ("card.jpg", png_bytes(), "image/png"),  # the content decides, not the name
    ],
)
def test_scans_are_accepted_by_content(town, settings, tmp_path, name, content, expected):
    settings.MEDIA_ROOT = tmp_path
    certificate = special_certificate(town["person_a"])
    scan = certificate_attachment_add(
        user=None, certificate=certificate, upload=SimpleUploadedFile(name, content)
    )
    assert scan.content_type == expected


def test_a_renamed_non_image_is_refused(town, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    certificate = special_certificate(town["person_a"])
    with pytest.raises(ValidationError) as error:
        certificate_attachment_add(
            user=None,
            certificate=certificate,
            upload=SimpleUploadedFile("card.png", b"MZ\x90\x00 not an image"),
        )
    assert "PDF" in " ".join(error.value.messages)
    assert not CertificateAttachment.objects.exists()


def test_refresh_repairs_derived_dates(town):
    certificate = special_certificate(town["person_a"], first_issued_on=D(2024, 3, 5))
    RegisteredCertificate.objects.filter(pk=certificate.pk).update(review_due_on=D(2020, 1, 1))
    assert certificates_refresh() == 1
    certificate.refresh_from_db()
    assert certificate.review_due_on == D(2027, 3, 5)
    assert certificates_refresh() == 0


def test_the_data_migration_rederives_stored_cards_from_the_printed_validity(town):
    """Rows stored under the schedule replayed from the first issue (invalid since 2013 for the
    2010/2028/2025 card) are re-derived from the printed validity by migration 0006."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "certificates.migrations.0006_rederive_schedule_from_printed_validity"
    )
    certificate = special_certificate(
        town["person_a"],
        first_issued_on=D(2010, 3, 1),
        valid_until=D(2028, 3, 1),
        last_reviewed_on=D(2025, 2, 1),
    )
    RegisteredCertificate.objects.filter(pk=certificate.pk).update(
        review_due_on=D(2013, 3, 1), invalid_since=D(2013, 3, 2), invalid_reason="review_missed"
    )
    migration.rederive(apps, None)
    certificate.refresh_from_db()
    assert (certificate.review_due_on, certificate.invalid_since, certificate.invalid_reason) == (
        D(2028, 3, 1),
        None,
        "",
    )

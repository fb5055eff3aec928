"""The status rules of regulations §1 as pure functions, and their SQL twin agreeing with them."""

import datetime
import itertools

import pytest

from certificates.models import RegisteredCertificate
from certificates.rules import (
    CertificateStatus,
    InvalidReason,
    absence_requires_reexam,
    add_months,
    add_years,
    certificate_status,
    review_schedule,
)
from certificates.selectors.registry import with_status
from certificates.services.registry import (
    certificate_review_record,
    certificate_revoke,
    post_absence_record,
)
from tests.factories import PersonFactory
from tests.factories.certificates import management_certificate, special_certificate

D = datetime.date
S = CertificateStatus


FIRST = D(2020, 3, 5)
UNTIL = D(2026, 3, 5)


def schedule(reviews=(), interval=3):
    return review_schedule(
        first_issued_on=FIRST,
        valid_until=UNTIL,
        validity_years=6,
        review_interval_years=interval,
        reviews=reviews,
    )


def test_date_helpers_keep_month_ends():
    assert add_years(D(2024, 2, 29), 6) == D(2030, 2, 28)
    assert add_months(D(2024, 8, 31), 6) == D(2025, 2, 28)


def test_first_review_is_due_three_years_after_issue():
    assert schedule().review_due_on == D(2023, 3, 5)
    assert schedule().expires_on == D(2026, 3, 5)


def test_a_passed_review_moves_the_due_date_to_the_expiry():
    after = schedule([(D(2023, 2, 1), True)])
    assert (after.review_due_on, after.expires_on, after.invalid_since) == (
        D(2026, 3, 5),
        D(2026, 3, 5),
        None,
    )


def test_the_review_at_year_six_renews_the_certificate():
    # 第二十二条: 延期复审 at expiry, same procedure; the card runs another 6 years.
    renewed = schedule([(D(2023, 2, 1), True), (D(2026, 2, 1), True)])
    assert renewed.expires_on == D(2032, 3, 5)
    assert renewed.review_due_on == D(2029, 3, 5)


def test_two_failed_reviews_invalidate():
    failed = schedule([(D(2023, 1, 10), False), (D(2023, 2, 10), False)])
    assert (failed.invalid_since, failed.invalid_reason) == (
        D(2023, 2, 10),
        InvalidReason.REVIEW_FAILED_TWICE,
    )
    # One failure then a pass is fine.
    assert schedule([(D(2023, 1, 10), False), (D(2023, 2, 10), True)]).invalid_since is None


def test_a_late_review_does_not_rescue_the_certificate():
    late = schedule([(D(2023, 4, 1), True)])
    assert (late.invalid_since, late.invalid_reason) == (D(2023, 3, 6), InvalidReason.REVIEW_MISSED)


def test_six_year_interval_makes_the_expiry_the_only_review():
    assert schedule(interval=6).review_due_on == D(2026, 3, 5)


def test_types_without_reviews_have_no_review_date():
    assert schedule(interval=None).review_due_on is None


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2022, 12, 1), S.VALID),
        (D(2023, 1, 3), S.VALID),
        (D(2023, 1, 4), S.REVIEW_DUE),  # 60 days before the due date (第二十二条)
        (D(2023, 3, 5), S.REVIEW_DUE),
        (D(2023, 3, 6), S.INVALID),  # 第二十六条: missed
    ],
)
def test_status_around_a_review(today, expected):
    assert (
        certificate_status(today=today, expires_on=D(2026, 3, 5), review_due_on=D(2023, 3, 5))
        == expected
    )


def test_status_expiring_expired_revoked():
    kwargs = {"expires_on": D(2026, 3, 5), "review_due_on": None}
    assert certificate_status(today=D(2025, 12, 5), **kwargs) == S.EXPIRING
    assert certificate_status(today=D(2025, 12, 4), **kwargs) == S.VALID
    assert certificate_status(today=D(2026, 3, 6), **kwargs) == S.EXPIRED
    assert certificate_status(today=D(2025, 1, 1), revoked_on=D(2025, 1, 1), **kwargs) == S.REVOKED


def test_absence_rule():
    left = D(2025, 1, 10)
    required = add_months(left, 6)
    common = {"reexam_required_from": required, "practical_exam_passed_on": None}
    assert not absence_requires_reexam(today=D(2025, 7, 9), returned_on=None, **common)
    assert absence_requires_reexam(today=D(2025, 7, 10), returned_on=None, **common)
    assert not absence_requires_reexam(today=D(2025, 9, 1), returned_on=D(2025, 5, 1), **common)
    assert absence_requires_reexam(today=D(2025, 9, 1), returned_on=D(2025, 8, 1), **common)


@pytest.mark.django_db
def test_sql_status_agrees_with_the_pure_function():
    """Every certificate on a range of days: the CASE in SQL and the Python rule say the same."""
    made = []
    for n, (first, kind) in enumerate(
        itertools.product(
            [D(2019, 3, 5), D(2020, 6, 30), D(2022, 11, 1), D(2024, 2, 29)],
            ["plain", "reviewed", "failed", "absent", "revoked"],
        )
    ):
        certificate = special_certificate(PersonFactory(), first_issued_on=first, number=f"N{n}")
        if kind == "reviewed":
            certificate_review_record(
                user=None,
                certificate=certificate,
                reviewed_on=add_years(first, 3) - datetime.timedelta(days=20),
                result="passed",
                training_hours=8,
            )
        elif kind == "failed":
            for offset in (30, 10):
                certificate_review_record(
                    user=None,
                    certificate=certificate,
                    reviewed_on=add_years(first, 3) - datetime.timedelta(days=offset),
                    result="failed",
                    training_hours=8,
                )
        elif kind == "absent":
            post_absence_record(user=None, certificate=certificate, left_on=D(2025, 1, 1))
        elif kind == "revoked":
            certificate_revoke(user=None, certificate=certificate, on=D(2025, 6, 1), reason="违章")
        made.append(certificate)
    # Without periodic reviews (management certificate), expiry shows as "expiring" first.
    management_certificate(PersonFactory(), first_issued_on=D(2023, 6, 1))
    seen = set()
    for today in [D(2022, 1, 1), D(2023, 1, 20), D(2024, 6, 1), D(2025, 8, 1), D(2026, 5, 1)]:
        for certificate in with_status(RegisteredCertificate.objects.all(), today):
            absences = certificate.absences.all()
            expected = certificate_status(
                today=today,
                expires_on=certificate.expires_on,
                review_due_on=certificate.review_due_on,
                invalid_since=certificate.invalid_since,
                revoked_on=certificate.revoked_on,
                reexam_required=any(
                    absence_requires_reexam(
                        today=today,
                        reexam_required_from=a.reexam_required_from,
                        returned_on=a.returned_on,
                        practical_exam_passed_on=a.practical_exam_passed_on,
                    )
                    for a in absences
                ),
            )
            assert certificate.status == expected, (certificate.pk, today)
            seen.add(expected)
    assert seen == set(S.values)

"""The status rules of regulations §1 as pure functions, and their SQL twin agreeing with them.

A card is read as it shows (初领日期, 有效期至 as printed, 最近复审日期): the schedule runs from
the printed validity forward, earlier reviews nobody typed in are not missed ones."""

import datetime
import itertools

import pytest

from certificates.models import RegisteredCertificate
from certificates.rules import (
    CertificateStatus,
    InvalidReason,
    Schedule,
    absence_requires_reexam,
    add_months,
    add_years,
    certificate_status,
    review_schedule,
    review_window_opens,
    validity_period_start,
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
                    refusal_grounds=["health"],
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


# --- the card as it shows: 初领日期, 有效期至 as printed, 最近复审日期 ---------------------------

TODAY = D(2026, 12, 5)


def card(first, until, reviews=(), interval=3):
    return review_schedule(
        first_issued_on=first,
        valid_until=until,
        validity_years=6,
        review_interval_years=interval,
        reviews=[(day, True) for day in reviews],
    )


def status_on(today, derived):
    return certificate_status(
        today=today,
        expires_on=derived.expires_on,
        review_due_on=derived.review_due_on,
        invalid_since=derived.invalid_since,
    )


def test_the_printed_validity_starts_the_current_period():
    """第十九条: a card is valid 6 years, so 有效期至 2028-03-01 means the period began 2022-03-01;
    a card printed for less than 6 years began at its first issue."""
    kwargs = {"first_issued_on": D(2010, 3, 1), "validity_years": 6}
    assert validity_period_start(valid_until=D(2028, 3, 1), **kwargs) == D(2022, 3, 1)
    assert validity_period_start(valid_until=D(2013, 3, 1), **kwargs) == D(2010, 3, 1)


def test_a_card_held_since_2010_and_reviewed_in_2025_is_valid():
    """第二十一条 from what the card shows: first issued 2010-03-01, 有效期至 2028-03-01, latest
    review 2025-02-01. The reviews of 2013–2022 are not typed in; the printed validity says they
    were kept, so they are not missed reviews (第二十六条 does not apply). The 2025 review meets
    the 2025-03-01 due date; the next one is the expiry, 2028-03-01."""
    derived = card(D(2010, 3, 1), D(2028, 3, 1), [D(2025, 2, 1)])
    assert derived == Schedule(D(2028, 3, 1), D(2028, 3, 1), None, "")
    assert status_on(TODAY, derived) == S.VALID
    # The review window of the expiry (延期复审, 第二十二条) opens 60 days before it.
    assert status_on(D(2028, 1, 1), derived) == S.REVIEW_DUE


def test_no_review_yet_inside_the_first_three_years():
    """第二十一条: the first review is due 3 years after the first issue; until its 60-day window
    (第二十二条) opens the card is simply valid."""
    derived = card(D(2024, 6, 1), D(2030, 6, 1))
    assert derived == Schedule(D(2030, 6, 1), D(2027, 6, 1), None, "")
    assert status_on(TODAY, derived) == S.VALID
    assert status_on(D(2027, 4, 2), derived) == S.REVIEW_DUE
    assert status_on(D(2027, 6, 2), derived) == S.INVALID


def test_a_latest_review_that_is_overdue_invalidates():
    """第二十六条: printed validity 2022-03-01 → 2028-03-01, latest review 2022-02-01 (the renewal
    that printed it); the 2025-03-01 review never came, so the card is invalid after that day."""
    derived = card(D(2010, 3, 1), D(2028, 3, 1), [D(2022, 2, 1)])
    assert derived.review_due_on == D(2025, 3, 1)
    assert status_on(D(2025, 3, 1), derived) == S.REVIEW_DUE
    assert status_on(D(2025, 3, 2), derived) == S.INVALID
    assert status_on(TODAY, derived) == S.INVALID


def test_a_late_latest_review_does_not_rescue_a_long_held_card():
    """第二十六条: reviewed 2025-04-01 for the 2025-03-01 due date is too late, long history or not."""
    derived = card(D(2010, 3, 1), D(2028, 3, 1), [D(2025, 4, 1)])
    assert (derived.invalid_since, derived.invalid_reason) == (
        D(2025, 3, 2),
        InvalidReason.REVIEW_MISSED,
    )


def test_a_printed_validity_ending():
    """第二十二条: the last review of a period is the 延期复审 at its end. Printed to 2027-01-10
    with the mid-period review kept, the card is in its window on 2026-12-05; printed to
    2026-11-30 and not renewed, it has expired; renewed in its window, it runs 6 more years."""
    ending = card(D(2015, 1, 10), D(2027, 1, 10), [D(2024, 1, 5)])
    assert (ending.expires_on, ending.review_due_on) == (D(2027, 1, 10), D(2027, 1, 10))
    assert status_on(TODAY, ending) == S.REVIEW_DUE
    ended = card(D(2014, 11, 30), D(2026, 11, 30), [D(2023, 11, 1)])
    assert status_on(TODAY, ended) == S.EXPIRED
    renewed = card(D(2014, 11, 30), D(2026, 11, 30), [D(2023, 11, 1), D(2026, 10, 20)])
    assert (renewed.expires_on, renewed.review_due_on) == (D(2032, 11, 30), D(2029, 11, 30))
    assert status_on(TODAY, renewed) == S.VALID


def test_reviews_before_the_printed_validity_are_history():
    """A card re-printed after its 延期复审: the renewal review, dated before the new validity
    starts, is already in the printed date and does not move the schedule a second time."""
    reprinted = card(D(2020, 3, 5), D(2032, 3, 5), [D(2023, 2, 1), D(2026, 2, 1)])
    recorded = card(D(2020, 3, 5), D(2026, 3, 5), [D(2023, 2, 1), D(2026, 2, 1)])
    assert reprinted == recorded == Schedule(D(2032, 3, 5), D(2029, 3, 5), None, "")


def test_a_review_before_its_window_does_not_meet_the_due_date():
    """第二十二条: the review is applied for within the 60 days before it is due. For a
    2023-03-01 due date a review dated 2021-06-01 is not that review: the due date stays, and
    passes unmet (第二十六条); one on the first day of the window meets it."""
    early = card(D(2020, 3, 1), D(2026, 3, 1), [D(2021, 6, 1)])
    assert early.review_due_on == D(2023, 3, 1)
    assert status_on(D(2023, 3, 2), early) == S.INVALID
    assert review_window_opens(D(2023, 3, 1)) == D(2022, 12, 31)
    on_time = card(D(2020, 3, 1), D(2026, 3, 1), [D(2022, 12, 31)])
    assert on_time.review_due_on == D(2026, 3, 1)


@pytest.mark.django_db
def test_sql_status_agrees_on_cards_registered_as_they_show(town):
    """The SQL CASE and the Python rule agree on the cards registered as they show, and both give
    the hand-worked status (第十九、二十一、二十二、二十六条)."""
    from certificates.services.registry import certificate_register
    from tests.factories.certificates import low_voltage, special_type

    cards = {
        # number: (初领日期, 有效期至, 最近复审日期, earlier reviews, status on 2026-12-05)
        "held-since-2010": (D(2010, 3, 1), D(2028, 3, 1), D(2025, 2, 1), (), S.VALID),
        "with-history": (
            D(2010, 3, 1),
            D(2028, 3, 1),
            D(2025, 2, 1),
            (D(2013, 2, 1), D(2016, 2, 1), D(2019, 2, 1), D(2022, 2, 1)),
            S.VALID,
        ),
        "first-three-years": (D(2024, 6, 1), D(2030, 6, 1), None, (), S.VALID),
        "in-window": (D(2024, 1, 20), D(2030, 1, 20), None, (), S.REVIEW_DUE),
        "overdue": (D(2010, 3, 1), D(2028, 3, 1), D(2022, 2, 1), (), S.INVALID),
        "late": (D(2010, 3, 1), D(2028, 3, 1), D(2025, 4, 1), (), S.INVALID),
        "validity-ending": (D(2015, 1, 10), D(2027, 1, 10), D(2024, 1, 5), (), S.REVIEW_DUE),
        "validity-ended": (D(2014, 11, 30), D(2026, 11, 30), D(2023, 11, 1), (), S.EXPIRED),
    }
    for number, (first, until, latest, earlier, _status) in cards.items():
        certificate_register(
            user=None,
            person=town["person_a"],
            certificate_type=special_type(),
            operation=low_voltage(),
            number=number,
            issuing_authority="上海市应急管理局",
            first_issued_on=first,
            valid_until=until,
            last_reviewed_on=latest,
            earlier_reviews=earlier,
        )
    for today in [D(2025, 3, 2), D(2026, 3, 2), TODAY, D(2027, 4, 15), D(2028, 3, 2)]:
        for certificate in with_status(RegisteredCertificate.objects.all(), today):
            expected = certificate_status(
                today=today,
                expires_on=certificate.expires_on,
                review_due_on=certificate.review_due_on,
                invalid_since=certificate.invalid_since,
                revoked_on=certificate.revoked_on,
            )
            assert certificate.status == expected, (certificate.number, today)
            if today == TODAY:
                assert certificate.status == cards[certificate.number][4], certificate.number

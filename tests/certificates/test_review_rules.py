"""The review rules of regulations §1 at entry: the 6-year interval (第二十一条), the review window
(第二十二条), the grounds for refusal (第二十三、二十五条), a late review (第二十六条) and the
holder's age (第四条). Each test is a card from the audit with its expected outcome."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from certificates.models import CertificateReview, RegisteredCertificate
from certificates.rules import (
    CertificateStatus,
    InvalidReason,
    RefusalGround,
    certificate_status,
    extended_interval_refusal,
    holder_age_warning,
    retirement_date,
    review_schedule,
)
from certificates.selectors.registry import with_status
from certificates.services.registry import (
    certificate_review_extension_record,
    certificate_review_record,
    certificate_violation_record,
    certificates_refresh,
)
from directory.constants import AccountRole
from tests.factories.certificates import special_certificate

D = datetime.date
S = CertificateStatus
HISTORY = [D(2013, 2, 1), D(2016, 2, 1), D(2019, 2, 1), D(2022, 2, 1)]


def history_card(extended_from=None, later=()):
    """First issued 2010-03-01, reviewed 2013/16/19/22 (renewed in 2016 and 2022)."""
    return review_schedule(
        first_issued_on=D(2010, 3, 1),
        valid_until=D(2016, 3, 1),
        validity_years=6,
        review_interval_years=3,
        reviews=[(day, True) for day in [*HISTORY, *later]],
        extended_interval_years=6,
        extended_from=extended_from,
    )


def test_the_six_year_interval_counts_from_the_review_that_granted_it():
    """第二十一条: granted at the 2022 review, the interval lengthens only the period after it.
    The reviews of 2013–2022 keep the 3-year interval (expiry 2028, not 2040); after the 2022
    review the next is due at the 2028 expiry instead of 2025; the 2028 renewal runs to 2034
    with the next review at 2034."""
    without = history_card()
    assert (without.expires_on, without.review_due_on) == (D(2028, 3, 1), D(2025, 3, 1))
    granted = history_card(extended_from=D(2022, 2, 1))
    assert (granted.expires_on, granted.review_due_on, granted.invalid_since) == (
        D(2028, 3, 1),
        D(2028, 3, 1),
        None,
    )
    renewed = history_card(extended_from=D(2022, 2, 1), later=[D(2028, 2, 1)])
    assert (renewed.expires_on, renewed.review_due_on) == (D(2034, 3, 1), D(2034, 3, 1))


def test_the_six_year_interval_needs_ten_years_in_the_operation():
    """第二十一条: a card first issued 2024 cannot have it in 2026; one first issued 2010 can."""
    refusal = extended_interval_refusal(
        first_issued_on=D(2024, 3, 5), since=D(2026, 11, 1), violations=[]
    )
    assert refusal is not None and "2034-03-05" in str(refusal)
    assert (
        extended_interval_refusal(first_issued_on=D(2010, 3, 5), since=D(2022, 2, 1), violations=[])
        is None
    )


@pytest.mark.django_db
def test_the_six_year_interval_is_refused_on_a_young_card(accounts, town):
    """第二十一条: granting on a card first issued 2024 is refused with the reason, in Chinese."""
    certificate = special_certificate(town["person_a"], first_issued_on=D(2024, 3, 5))
    with pytest.raises(ValidationError) as error:
        certificate_review_extension_record(
            user=accounts[AccountRole.DEPARTMENT_OFFICER],
            certificate=certificate,
            since=D(2026, 11, 1),
        )
    message = error.value.message_dict["review_extended_on"][0]
    assert "10" in message and "第二十一条" in message and "连续" in message
    certificate.refresh_from_db()
    assert certificate.review_extended_on is None


@pytest.mark.django_db
def test_the_six_year_interval_is_refused_with_a_violation(accounts, town):
    """第二十一条: no violation of the safety rules; one recorded refuses the interval."""
    certificate = special_certificate(
        town["person_a"],
        first_issued_on=D(2010, 3, 1),
        valid_until=D(2028, 3, 1),
        last_reviewed_on=D(2022, 2, 1),
    )
    certificate_violation_record(
        user=None, certificate=certificate, occurred_on=D(2020, 5, 1), description="未戴绝缘手套"
    )
    with pytest.raises(ValidationError) as error:
        certificate_review_extension_record(
            user=accounts[AccountRole.DEPARTMENT_OFFICER],
            certificate=certificate,
            since=D(2022, 2, 1),
        )
    assert "2020-05-01" in error.value.message_dict["review_extended_on"][0]
    certificate.refresh_from_db()
    assert (certificate.review_extended_on, certificate.review_due_on) == (None, D(2025, 3, 1))


@pytest.mark.django_db
def test_a_review_before_its_window_is_refused_at_entry(town):
    """第二十二条: for the 2023-03-01 due date a review dated 2021-06-01 is refused, the message
    naming the due date and the window (2022-12-31 to 2023-03-01); nothing is written."""
    certificate = special_certificate(town["person_a"], first_issued_on=D(2020, 3, 1))
    with pytest.raises(ValidationError) as error:
        certificate_review_record(
            user=None,
            certificate=certificate,
            reviewed_on=D(2021, 6, 1),
            result="passed",
            training_hours=8,
        )
    message = error.value.message_dict["reviewed_on"][0]
    assert "2023-03-01" in message and "2022-12-31" in message
    assert not CertificateReview.objects.exists()


@pytest.mark.django_db
def test_a_card_registered_with_a_review_before_its_window_is_refused(town):
    """第二十二条 at registration too: a card first issued 2020-03-01, valid to 2026-03-01, typed
    with a latest review of 2021-06-01 (due 2023-03-01) is refused with the due date and window;
    reviews before the printed period (history) are not checked."""
    with pytest.raises(ValidationError) as error:
        special_certificate(
            town["person_a"],
            first_issued_on=D(2020, 3, 1),
            valid_until=D(2026, 3, 1),
            last_reviewed_on=D(2021, 6, 1),
        )
    assert "2022-12-31" in error.value.message_dict["last_reviewed_on"][0]
    assert not RegisteredCertificate.objects.exists()
    held = special_certificate(
        town["person_a"],
        first_issued_on=D(2010, 3, 1),
        valid_until=D(2028, 3, 1),
        last_reviewed_on=D(2022, 2, 1),
        earlier_reviews=HISTORY[:3],
    )
    assert held.review_due_on == D(2025, 3, 1)


@pytest.mark.django_db
def test_a_late_review_is_recorded_as_late_and_the_certificate_invalid(town):
    """第二十六条: reviewed 2023-04-01 for the 2023-03-01 due date, the review is kept, marked
    late, and the certificate is invalid since 2023-03-02."""
    certificate = special_certificate(town["person_a"], first_issued_on=D(2020, 3, 1))
    review = certificate_review_record(
        user=None,
        certificate=certificate,
        reviewed_on=D(2023, 4, 1),
        result="passed",
        training_hours=8,
    )
    assert review.is_late and review.due_on == D(2023, 3, 1)
    certificate.refresh_from_db()
    assert (certificate.invalid_since, certificate.invalid_reason) == (
        D(2023, 3, 2),
        InvalidReason.REVIEW_MISSED,
    )


@pytest.mark.django_db
def test_a_failed_review_needs_its_grounds(town):
    """第二十五条: a failed review names why it was refused; without grounds it is refused."""
    certificate = special_certificate(town["person_a"], first_issued_on=D(2020, 3, 1))
    with pytest.raises(ValidationError) as error:
        certificate_review_record(
            user=None,
            certificate=certificate,
            reviewed_on=D(2023, 2, 1),
            result="failed",
            training_hours=8,
        )
    assert "第二十五条" in error.value.message_dict["refusal_grounds"][0]
    review = certificate_review_record(
        user=None,
        certificate=certificate,
        reviewed_on=D(2023, 2, 1),
        result="failed",
        training_hours=8,
        refusal_grounds=[RefusalGround.HEALTH],
    )
    assert review.refusal_ground_labels == ["体检不合格"]


@pytest.mark.django_db
def test_a_review_cannot_pass_with_two_violations_in_its_period(town):
    """第二十五条: two violations in the review period (or one with serious consequences, or an
    administrative penalty) refuse the review; a violation before the period does not count."""
    certificate = special_certificate(town["person_a"], first_issued_on=D(2020, 3, 1))
    certificate_violation_record(
        user=None, certificate=certificate, occurred_on=D(2021, 5, 1), description="违章一"
    )
    certificate_violation_record(
        user=None, certificate=certificate, occurred_on=D(2022, 5, 1), description="违章二"
    )
    with pytest.raises(ValidationError) as error:
        certificate_review_record(
            user=None,
            certificate=certificate,
            reviewed_on=D(2023, 2, 1),
            result="passed",
            training_hours=8,
        )
    assert "第二十五条" in error.value.message_dict["result"][0]
    review = certificate_review_record(
        user=None,
        certificate=certificate,
        reviewed_on=D(2023, 2, 1),
        result="failed",
        training_hours=8,
        refusal_grounds=[RefusalGround.VIOLATIONS],
    )
    assert review.pk
    # The next period starts clean: a passed review in 2026 is accepted after a re-review.
    serious = special_certificate(town["person_b"], first_issued_on=D(2020, 3, 1), number="S1")
    certificate_violation_record(
        user=None,
        certificate=serious,
        occurred_on=D(2022, 5, 1),
        description="违章造成事故",
        serious_consequences=True,
    )
    with pytest.raises(ValidationError):
        certificate_review_record(
            user=None,
            certificate=serious,
            reviewed_on=D(2023, 2, 1),
            result="passed",
            training_hours=8,
        )


def test_a_seventeen_year_old_holder_is_warned():
    """第四条: an applicant is 18 or older; at 17 on the first issue the warning says so."""
    warning = holder_age_warning(birth_date=D(2007, 6, 1), sex="M", first_issued_on=D(2024, 12, 1))
    assert warning is not None and "17" in str(warning) and "18" in str(warning)
    assert (
        holder_age_warning(birth_date=D(2006, 6, 1), sex="M", first_issued_on=D(2024, 6, 1)) is None
    )


def test_retirement_age_with_the_2025_gradual_raise():
    """第四条 with 法定退休年龄 (R, configurable): men 60 before 2025; born 1965-01 → 60 years
    and 1 month; women workers 50, born 1975-03 → 50 years and 2 months."""
    assert retirement_date(D(1960, 5, 10), "M") == D(2020, 5, 10)
    assert retirement_date(D(1965, 1, 10), "M") == D(2025, 2, 10)
    assert retirement_date(D(1975, 3, 10), "F") == D(2025, 5, 10)
    assert retirement_date(D(1990, 1, 1), "M") == D(2053, 1, 1)
    warning = holder_age_warning(birth_date=D(1960, 5, 10), sex="M", first_issued_on=D(2021, 1, 1))
    assert warning is not None and "2020-05-10" in str(warning)


@pytest.mark.django_db
def test_the_registration_form_and_the_card_page_warn_of_the_age(client, accounts, town):
    """第四条: a holder 17 at the first issue is registered (a warning, not a refusal); the form
    says so after saving and the certificate page shows it."""
    from django.urls import reverse

    from directory.models import Person

    person = town["person_a"]
    Person.objects.filter(pk=person.pk).update(birth_date=D(2007, 6, 1), sex="M")
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    from tests.certificates.test_registry_admin import card_data

    response = client.post(
        reverse("registered_certificates:add"),
        card_data(person, first_issued_on="2024-12-01"),
        follow=True,
    )
    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    assert any("第四条" in text and "17" in text for text in texts)
    certificate = RegisteredCertificate.objects.get()
    page = client.get(reverse("registered_certificates:inspect", args=[certificate.pk]))
    assert "第四条" in page.content.decode()


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 5, 12, tzinfo=datetime.UTC), tick=False)
def test_sql_status_agrees_on_the_new_cases(accounts, town):
    """The SQL CASE and the Python rule agree on the cards of this issue: the 6-year interval
    granted at the 2022 review (第二十一条), a late review (第二十六条), a failed review with
    its grounds (第二十五条)."""
    extended = special_certificate(
        town["person_a"],
        number="EXT",
        first_issued_on=D(2010, 3, 1),
        valid_until=D(2028, 3, 1),
        last_reviewed_on=D(2022, 2, 1),
        earlier_reviews=HISTORY[:3],
    )
    certificate_review_extension_record(
        user=accounts[AccountRole.DEPARTMENT_OFFICER], certificate=extended, since=D(2022, 2, 1)
    )
    late = special_certificate(town["person_a"], number="LATE", first_issued_on=D(2020, 3, 1))
    certificate_review_record(
        user=None, certificate=late, reviewed_on=D(2023, 4, 1), result="passed", training_hours=8
    )
    failed = special_certificate(town["person_a"], number="FAIL", first_issued_on=D(2021, 3, 1))
    certificate_review_record(
        user=None,
        certificate=failed,
        reviewed_on=D(2024, 2, 1),
        result="failed",
        training_hours=8,
        refusal_grounds=[RefusalGround.TRAINING_OR_EXAM],
    )
    # The daily job's bulk path derives the same dates as the services did.
    assert certificates_refresh() == 0
    expected_today = {"EXT": S.VALID, "LATE": S.INVALID, "FAIL": S.INVALID}
    for today in [D(2023, 3, 1), D(2023, 3, 2), D(2024, 3, 2), D(2025, 3, 2), D(2026, 12, 5)]:
        for certificate in with_status(RegisteredCertificate.objects.all(), today):
            expected = certificate_status(
                today=today,
                expires_on=certificate.expires_on,
                review_due_on=certificate.review_due_on,
                invalid_since=certificate.invalid_since,
                revoked_on=certificate.revoked_on,
            )
            assert certificate.status == expected, (certificate.number, today)
            if today == D(2026, 12, 5):
                assert certificate.status == expected_today[certificate.number], certificate.number

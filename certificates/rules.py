"""The rules that decide a registered certificate's status, as data and pure functions.

Sources: 《特种作业人员安全技术培训考核管理规定》(原国家安监总局令第30号) and
shared/reference/regulations.md §1, §3. Nothing here touches the database: the selectors compute
the same status in SQL (certificates.selectors.registry) and the tests hold the two together.
"""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# 第二十二条: the review is applied for within the 60 days before it is due.
REVIEW_WINDOW_DAYS = 60
# 第二十三条: review training of at least 8 学时, and a passed exam.
REVIEW_MIN_TRAINING_HOURS = 8
# 第二十六条: a review missed, or failed twice, makes the certificate invalid.
REVIEW_FAILURES_INVALIDATING = 2
# 第三十二条: away from the post for 6 months or more → practical exam again before returning.
ABSENCE_MONTHS_REQUIRING_REEXAM = 6
# 第二十四条 (《生产经营单位安全培训规定》): high-risk principals and safety managers pass the
# assessment within 6 months of taking office.
MANAGEMENT_GRACE_MONTHS = 6


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVIEW_DUE = "review_due", _("Review window open")
    EXPIRING = "expiring", _("Expiring")
    REEXAM_REQUIRED = "reexam_required", _("Practical re-exam required")
    INVALID = "invalid", _("Invalid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


# The statuses in which the holder may work the post (持证上岗).
USABLE_STATUSES = (
    CertificateStatus.VALID,
    CertificateStatus.REVIEW_DUE,
    CertificateStatus.EXPIRING,
)


class InvalidReason(models.TextChoices):
    REVIEW_MISSED = "review_missed", _("Review missed")
    REVIEW_FAILED_TWICE = "review_failed_twice", _("Review failed twice")


def expiring_days() -> int:
    """How long before expiry a certificate shows as expiring (a setting; default 90 days)."""
    return getattr(settings, "CERTIFICATE_EXPIRING_DAYS", 90)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Schedule:
    """What the reviews recorded so far make of a certificate (stored on it by the services)."""

    expires_on: datetime.date
    review_due_on: datetime.date | None
    invalid_since: datetime.date | None = None
    invalid_reason: str = ""


def validity_period_start(
    *, first_issued_on: datetime.date, valid_until: datetime.date, validity_years: int
) -> datetime.date:
    """The start of the validity period the card prints (有效期至 less the type's validity, 第十九条),
    never before the first issue: a card held since 2010 and valid to 2028 is in its 2022 period."""
    return max(first_issued_on, add_years(valid_until, -validity_years))


def review_schedule(
    *,
    first_issued_on: datetime.date,
    valid_until: datetime.date,
    validity_years: int,
    review_interval_years: int | None,
    reviews: Iterable[tuple[datetime.date, bool]],
) -> Schedule:
    """Walk the reviews (date, passed) in order from the start of the validity the card prints.

    What the card shows is the known state: its 有效期至 says the holder kept every review before
    the current validity period began, so the reviews before that start are history and the
    schedule starts there (a long-held card is not invalid for reviews nobody typed in). Each
    review due date is the previous one (or that start) plus the interval, never past the expiry;
    a passed review on the due date that is the expiry renews the certificate for
    `validity_years` (第二十二条 延期复审). A review dated before its due date's 60-day window
    (第二十二条) does not meet that due date. A review held after its due date comes too late:
    the certificate was already invalid (第二十六条), as it is after two failures in a row.
    """
    expires_on = valid_until

    def next_due(after: datetime.date) -> datetime.date:
        if review_interval_years:
            return min(add_years(after, review_interval_years), expires_on)
        return expires_on

    start = validity_period_start(
        first_issued_on=first_issued_on, valid_until=valid_until, validity_years=validity_years
    )
    due = next_due(start)
    failures = 0
    for day, passed in sorted(reviews):
        if day < start:
            continue  # before the printed validity: the card already reflects it
        if day > due:
            late = due + datetime.timedelta(days=1)
            return Schedule(expires_on, due, late, InvalidReason.REVIEW_MISSED)
        if review_interval_years and day < review_window_opens(due):
            continue  # too early to be the review of this due date (第二十二条)
        if not passed:
            failures += 1
            if failures >= REVIEW_FAILURES_INVALIDATING:
                return Schedule(expires_on, due, day, InvalidReason.REVIEW_FAILED_TWICE)
            continue
        failures = 0
        if due >= expires_on:
            expires_on = add_years(expires_on, validity_years)
        due = next_due(due)
    # Types without periodic reviews are renewed at expiry, which `expires_on` already says.
    return Schedule(expires_on, due if review_interval_years else None)


def review_window_opens(due: datetime.date) -> datetime.date:
    """The first day a review may be held for `due` (第二十二条: within the 60 days before)."""
    return due - datetime.timedelta(days=REVIEW_WINDOW_DAYS)


def reexam_required_from(left_on: datetime.date) -> datetime.date:
    """The day an absence from the post starts to require a practical re-exam (第三十二条)."""
    return add_months(left_on, ABSENCE_MONTHS_REQUIRING_REEXAM)


def certificate_status(
    *,
    today: datetime.date,
    expires_on: datetime.date,
    review_due_on: datetime.date | None,
    invalid_since: datetime.date | None = None,
    revoked_on: datetime.date | None = None,
    reexam_required: bool = False,
) -> str:
    """A certificate's status on `today`, first matching rule wins (the SQL twin is in selectors)."""
    if revoked_on and revoked_on <= today:
        return CertificateStatus.REVOKED
    if invalid_since and invalid_since <= today:
        return CertificateStatus.INVALID
    if expires_on < today:
        return CertificateStatus.EXPIRED
    if review_due_on and review_due_on < today:
        return CertificateStatus.INVALID
    if reexam_required:
        return CertificateStatus.REEXAM_REQUIRED
    if review_due_on and review_due_on <= today + datetime.timedelta(days=REVIEW_WINDOW_DAYS):
        return CertificateStatus.REVIEW_DUE
    if expires_on <= today + datetime.timedelta(days=expiring_days()):
        return CertificateStatus.EXPIRING
    return CertificateStatus.VALID


def absence_requires_reexam(
    *,
    today: datetime.date,
    reexam_required_from: datetime.date,
    returned_on: datetime.date | None,
    practical_exam_passed_on: datetime.date | None,
) -> bool:
    """第三十二条: six months or more away, and no practical exam passed since (SQL twin in selectors)."""
    if practical_exam_passed_on is not None or reexam_required_from > today:
        return False
    return returned_on is None or returned_on >= reexam_required_from


# 安全生产法 第二十七条: principals and safety managers of 危险物品生产/经营/储存, 矿山, 金属冶炼,
# 建筑施工, 道路运输 units pass the knowledge-and-management-ability assessment (regulations §3).
# As the registry records it: these industry risk classes, and any unit handling hazardous chemicals.
MANAGEMENT_CERTIFICATE_RISK_CLASSES = ("high_risk", "construction", "road_transport")
MANAGEMENT_CERTIFICATE_ENTERPRISE_FLAGS = ("handles_hazardous_chemicals",)

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
# 第二十一条: reviews every 6 years need 10 years or more continuously in the same operation
# and no violation of the safety rules; the issuing authority consents.
EXTENDED_INTERVAL_MIN_YEARS = 10
# 第二十五条: a violation with serious consequences, or this many violations in the review period,
# refuse the review.
REVIEW_REFUSING_VIOLATIONS = 2
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


class RefusalGround(models.TextChoices):
    """第二十五条: why a review is refused (recorded on a failed review)."""

    HEALTH = "health", _("Failed the health check")
    VIOLATIONS = "violations", _("A violation with serious consequences, or two or more violations")
    PENALTY = "penalty", _("An administrative penalty for a violation")
    TRAINING_OR_EXAM = "training_or_exam", _("No review training, or the exam failed")


# The article each ground comes from (all 第二十五条; 第二十三条 sets the training and exam).
REFUSAL_GROUND_ARTICLES = {
    RefusalGround.HEALTH: "第二十五条（一）",
    RefusalGround.VIOLATIONS: "第二十五条（二）",
    RefusalGround.PENALTY: "第二十五条（三）",
    RefusalGround.TRAINING_OR_EXAM: "第二十五条（四）、第二十三条",
}


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
    extended_interval_years: int | None = None,
    extended_from: datetime.date | None = None,
) -> Schedule:
    """Walk the reviews (date, passed) in order from the start of the validity the card prints.

    What the card shows is the known state: its 有效期至 says the holder kept every review before
    the current validity period began, so the reviews before that start are history and the
    schedule starts there (a long-held card is not invalid for reviews nobody typed in). Each
    review due date is the previous one (or that start) plus the interval, never past the expiry;
    a passed review on the due date that is the expiry renews the certificate for
    `validity_years` (第二十二条 延期复审). The 6-year interval (第二十一条,
    `extended_interval_years`) counts from the review at which it was granted (`extended_from`):
    due dates before it keep the ordinary interval, only the period after it is longer. A review
    dated before its due date's 60-day window
    (第二十二条) does not meet that due date. A review held after its due date comes too late:
    the certificate was already invalid (第二十六条), as it is after two failures in a row.
    """
    expires_on = valid_until

    def next_due(after: datetime.date, held_on: datetime.date) -> datetime.date:
        interval = review_interval_years
        if interval and extended_interval_years and extended_from and held_on >= extended_from:
            interval = extended_interval_years
        if interval:
            return min(add_years(after, interval), expires_on)
        return expires_on

    start = validity_period_start(
        first_issued_on=first_issued_on, valid_until=valid_until, validity_years=validity_years
    )
    due = next_due(start, start)
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
        due = next_due(due, day)
    # Types without periodic reviews are renewed at expiry, which `expires_on` already says.
    return Schedule(expires_on, due if review_interval_years else None)


def review_window_opens(due: datetime.date) -> datetime.date:
    """The first day a review may be held for `due` (第二十二条: within the 60 days before)."""
    return due - datetime.timedelta(days=REVIEW_WINDOW_DAYS)


def review_entry_problem(*, reviewed_on: datetime.date, due: datetime.date | None) -> str | None:
    """第二十二条 at entry: a review held before the 60-day window of its due date is not that
    review and is refused, naming the due date and the window; None when it may be recorded."""
    if due is None or reviewed_on >= review_window_opens(due):
        return None
    return _(
        "The review date %(day)s is before the review window: the review is due on %(due)s and "
        "may be held from %(opens)s to %(due)s (第二十二条)."
    ) % {
        "day": reviewed_on.isoformat(),
        "due": due.isoformat(),
        "opens": review_window_opens(due).isoformat(),
    }


def review_is_late(*, reviewed_on: datetime.date, due: datetime.date | None) -> bool:
    """第二十六条: a review after its due date is late; the certificate is invalid from the day
    after the due date, whatever the late review's result."""
    return due is not None and reviewed_on > due


@dataclass(frozen=True)
class Violation:
    """A violation of the safety rules recorded on a certificate (what 第二十一、二十五条 read)."""

    occurred_on: datetime.date
    serious_consequences: bool = False
    administrative_penalty: bool = False


def extended_interval_refusal(
    *,
    first_issued_on: datetime.date,
    since: datetime.date,
    violations: Iterable[Violation],
    continuous_from: datetime.date | None = None,
) -> str | None:
    """第二十一条: the 6-year interval needs ≥ 10 years continuously in the same operation (from
    its first issue, or from the return after an absence that broke it) and no violation; the
    reason it cannot be granted on `since`, or None."""
    start = max(first_issued_on, continuous_from or first_issued_on)
    if add_years(start, EXTENDED_INTERVAL_MIN_YEARS) > since:
        return _(
            "The 6-year review interval needs %(years)d years or more continuously in the same "
            "operation (第二十一条): counted from %(start)s, that is %(reached)s, after %(since)s."
        ) % {
            "years": EXTENDED_INTERVAL_MIN_YEARS,
            "start": start.isoformat(),
            "reached": add_years(start, EXTENDED_INTERVAL_MIN_YEARS).isoformat(),
            "since": since.isoformat(),
        }
    recorded = sorted(v.occurred_on for v in violations if v.occurred_on <= since)
    if recorded:
        return _(
            "The 6-year review interval needs no violation of the safety rules (第二十一条): "
            "%(count)d recorded, the latest on %(day)s."
        ) % {"count": len(recorded), "day": recorded[-1].isoformat()}
    return None


def review_pass_refusal(
    *, violations: Iterable[Violation], training_hours=None
) -> tuple[str, str] | None:
    """第二十五条, 第二十三条: the grounds that refuse a review, read from the violations of its
    period and the training hours; (ground, message) of the first that applies, or None."""
    violations = list(violations)
    if any(v.serious_consequences for v in violations) or len(violations) >= (
        REVIEW_REFUSING_VIOLATIONS
    ):
        return RefusalGround.VIOLATIONS, _(
            "The review cannot pass: %(count)d violation(s) recorded in the review period, "
            "with serious consequences or two or more (第二十五条)."
        ) % {"count": len(violations)}
    if any(v.administrative_penalty for v in violations):
        return RefusalGround.PENALTY, _(
            "The review cannot pass: an administrative penalty for a violation is recorded in "
            "the review period (第二十五条)."
        )
    if training_hours is not None and training_hours < REVIEW_MIN_TRAINING_HOURS:
        return RefusalGround.TRAINING_OR_EXAM, _(
            "A passed review needs at least %(hours)d hours of review training."
        ) % {"hours": REVIEW_MIN_TRAINING_HOURS}
    return None


# 第四条: an applicant is 18 or older and below the statutory retirement age.
MIN_HOLDER_AGE = 18
# 法定退休年龄 (R: keep configurable, setting CERTIFICATE_RETIREMENT_AGES). Base ages of the
# 《国务院关于工人退休、退职的暂行办法》 (men 60, women workers 50); from 2025-01-01 the
# 全国人大常委会《关于实施渐进式延迟法定退休年龄的决定》 raises them by one month for every
# `every_months` months of birth, men to 63 and women workers to 55 (R).
# sex (as Person.sex): (base age, raise from, one month per `every_months`, final age)
RETIREMENT_AGES = {
    "M": (60, datetime.date(2025, 1, 1), 4, 63),
    "F": (50, datetime.date(2025, 1, 1), 2, 55),
}


def retirement_ages() -> dict:
    return getattr(settings, "CERTIFICATE_RETIREMENT_AGES", RETIREMENT_AGES)


def retirement_date(birth_date: datetime.date, sex: str) -> datetime.date | None:
    """The day someone born on `birth_date` reaches the statutory retirement age (R)."""
    rule = retirement_ages().get(sex)
    if rule is None:
        return None
    base, raise_from, every_months, final = rule
    day = add_years(birth_date, base)
    if day < raise_from:
        return day
    months_after = (day.year - raise_from.year) * 12 + day.month - raise_from.month
    delay = min(months_after // every_months + 1, (final - base) * 12)
    return add_months(day, delay)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def holder_age_warning(
    *, birth_date: datetime.date | None, sex: str, first_issued_on: datetime.date
) -> str | None:
    """第四条: the holder was 18 or older and below the retirement age when first issued; the
    reason when not (a warning to check, not a refusal), None when fine or unknown."""
    if birth_date is None:
        return None
    age = age_on(birth_date, first_issued_on)
    if age < MIN_HOLDER_AGE:
        return _(
            "The holder was %(age)d at the first issue (%(day)s): an applicant must be %(min)d "
            "or older (第四条)."
        ) % {"age": age, "day": first_issued_on.isoformat(), "min": MIN_HOLDER_AGE}
    retires = retirement_date(birth_date, sex)
    if retires is not None and first_issued_on >= retires:
        return _(
            "The holder was %(age)d at the first issue (%(day)s), at or past the statutory "
            "retirement age reached on %(retires)s (第四条)."
        ) % {"age": age, "day": first_issued_on.isoformat(), "retires": retires.isoformat()}
    return None


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

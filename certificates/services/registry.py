"""Writes to the certificate registry: keyword-only, typed, atomic; derived dates kept in step.

Every write that changes what the rules read (the card's dates, the reviews) recomputes the
certificate's schedule through `certificates.rules.review_schedule`, so the stored derived dates
never disagree with the reviews; the daily job (`certificates_refresh`) re-checks them all.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import (
    CertificateAttachment,
    CertificateReview,
    CertificateType,
    CertificateViolation,
    PostAbsence,
    RegisteredCertificate,
    ReviewResult,
    SpecialOperation,
)
from certificates.rules import (
    Violation,
    add_years,
    extended_interval_refusal,
    reexam_required_from,
    review_entry_problem,
    review_pass_refusal,
    review_schedule,
    validity_period_start,
)
from directory.constants import AccountRole
from directory.models import Person, User
from directory.selectors import account_role, people_editable_by
from directory.uploads import UploadRefused, scan_prepare, stored_name

# Recording the 6-year review interval (第二十一条) and revoking are the authorities' acts,
# entered by the supervising officers, not by the enterprise.
OFFICER_ROLES = {AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER}
# The certificate's fields derived from the card and the reviews (rules.review_schedule).
DERIVED = ("expires_on", "review_due_on", "invalid_since", "invalid_reason")
# Fields only those officers change (the authority's consent, revocation).
OFFICER_FIELDS = ("review_extended_on", "revoked_on", "revoked_reason")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


def _require_person_editable(user: User | None, person: Person) -> None:
    if user is not None and not people_editable_by(user).filter(pk=person.pk).exists():
        raise PermissionDenied(_("You may not register certificates for this person."))


def _require_officer(user: User | None) -> None:
    if user is not None and account_role(user) not in OFFICER_ROLES:
        raise PermissionDenied(_("Only the town office or a department officer may do this."))


def schedule_of(certificate: RegisteredCertificate, reviews: list[tuple[datetime.date, bool]]):
    """rules.review_schedule of the card and `reviews`, the 6-year interval from its grant."""
    kind = certificate.certificate_type
    return review_schedule(
        first_issued_on=certificate.first_issued_on,
        valid_until=certificate.valid_until,
        validity_years=kind.validity_years,
        review_interval_years=kind.review_interval_years,
        reviews=reviews,
        extended_interval_years=kind.extended_review_interval_years,
        extended_from=certificate.review_extended_on,
    )


def schedule_apply(
    certificate: RegisteredCertificate, reviews: list[tuple[datetime.date, bool]]
) -> bool:
    """Set the derived dates from the card and the reviews; True when anything changed."""
    schedule = schedule_of(certificate, reviews)
    changed = False
    for name in DERIVED:
        value = getattr(schedule, name)
        if getattr(certificate, name) != value:
            setattr(certificate, name, value)
            changed = True
    return changed


def _reviews_of(certificate: RegisteredCertificate) -> list[tuple[datetime.date, bool]]:
    if certificate.pk is None:
        return []
    return [
        (day, result == ReviewResult.PASSED)
        for day, result in certificate.reviews.values_list("reviewed_on", "result")
    ]


def _save(certificate: RegisteredCertificate) -> RegisteredCertificate:
    schedule_apply(certificate, _reviews_of(certificate))
    certificate.full_clean()
    certificate.save()
    return certificate


def card_review_problems(
    *,
    first_issued_on: datetime.date | None,
    valid_until: datetime.date | None,
    last_reviewed_on: datetime.date | None,
    earlier_reviews: Iterable[datetime.date],
    certificate_type: CertificateType | None = None,
) -> dict[str, list[str]]:
    """What the card's own dates rule out in the reviews typed with it, by field
    (`last_reviewed_on`, `earlier_reviews`); empty when they fit. A review lies between the
    first issue and the printed validity end (a later one belongs to a card printed since), and
    the earlier reviews come before the latest. With the `certificate_type`, each review inside
    the printed period falls in the window of the due date the reviews before it leave
    (第二十二条): one before that window is refused, naming the due date and the window."""
    problems: dict[str, list[str]] = defaultdict(list)
    earlier = sorted(set(earlier_reviews))
    if earlier and last_reviewed_on is None:
        problems["last_reviewed_on"].append(
            _("Give the latest review date when earlier reviews are listed.")
        )
    for name, day in [("last_reviewed_on", last_reviewed_on)] + [
        ("earlier_reviews", d) for d in earlier
    ]:
        if day is None:
            continue
        if first_issued_on and day < first_issued_on:
            problems[name].append(
                _("The review date %(day)s is before the first issue date.")
                % {"day": day.isoformat()}
            )
        elif valid_until and day > valid_until:
            problems[name].append(
                _(
                    "The review date %(day)s is after the validity end %(until)s: "
                    "give the validity end the card shows now."
                )
                % {"day": day.isoformat(), "until": valid_until.isoformat()}
            )
        elif name == "earlier_reviews" and last_reviewed_on and day >= last_reviewed_on:
            problems[name].append(
                _("The earlier review %(day)s is not before the latest review %(latest)s.")
                % {"day": day.isoformat(), "latest": last_reviewed_on.isoformat()}
            )
    if not problems and certificate_type is not None and first_issued_on and valid_until:
        for name, text in _card_window_problems(
            certificate_type, first_issued_on, valid_until, last_reviewed_on, earlier
        ):
            problems[name].append(text)
    return dict(problems)


def _card_window_problems(kind, first_issued_on, valid_until, last_reviewed_on, earlier):
    """第二十二条 on the reviews a card is registered with: (field, message) of each one inside
    the printed period that comes before the window of the due date it would answer."""
    if not kind.review_interval_years:
        return []
    start = validity_period_start(
        first_issued_on=first_issued_on,
        valid_until=valid_until,
        validity_years=kind.validity_years,
    )
    named = [("earlier_reviews", day) for day in earlier]
    if last_reviewed_on is not None:
        named.append(("last_reviewed_on", last_reviewed_on))
    found, before = [], []
    for name, day in named:
        if day >= start:
            schedule = review_schedule(
                first_issued_on=first_issued_on,
                valid_until=valid_until,
                validity_years=kind.validity_years,
                review_interval_years=kind.review_interval_years,
                reviews=[(d, True) for d in before],
            )
            due = None if schedule.invalid_since else schedule.review_due_on
            problem = review_entry_problem(reviewed_on=day, due=due)
            if problem:
                found.append((name, problem))
        before.append(day)
    return found


@transaction.atomic
def certificate_register(
    *,
    user: User | None,
    person: Person,
    certificate_type: CertificateType,
    number: str,
    issuing_authority: str,
    first_issued_on: datetime.date,
    valid_until: datetime.date | None = None,
    operation: SpecialOperation | None = None,
    scope: str = "",
    last_reviewed_on: datetime.date | None = None,
    earlier_reviews: Iterable[datetime.date] = (),
) -> RegisteredCertificate:
    """Register a card as it shows: 初领日期, 有效期至 as printed (without it, the type's validity
    from the first issue), 最近复审日期 and optionally earlier reviews, recorded as passed reviews
    of unknown training hours. The status runs from the printed validity forward
    (rules.review_schedule): reviews before it that are not typed in are not missed."""
    _require_person_editable(user, person)
    if valid_until is None:
        valid_until = add_years(first_issued_on, certificate_type.validity_years)
    days = sorted(set(earlier_reviews))
    problems = card_review_problems(
        first_issued_on=first_issued_on,
        valid_until=valid_until,
        last_reviewed_on=last_reviewed_on,
        earlier_reviews=days,
        certificate_type=certificate_type,
    )
    if problems:
        raise ValidationError(problems)
    if last_reviewed_on is not None:
        days.append(last_reviewed_on)
    certificate = RegisteredCertificate(
        person=person,
        certificate_type=certificate_type,
        operation=operation,
        scope=scope,
        number=number.strip(),
        issuing_authority=issuing_authority,
        first_issued_on=first_issued_on,
        valid_until=valid_until,
    )
    _save(certificate)
    if not days:
        return certificate
    for day in days:
        # Hours are not on the card: left unknown rather than invented.
        review = CertificateReview(
            certificate=certificate,
            reviewed_on=day,
            result=ReviewResult.PASSED,
            note="登记",
            recorded_by=user,
        )
        review.full_clean()
        review.save()
    return _save(certificate)


@transaction.atomic
def certificate_update(
    *, user: User | None, certificate: RegisteredCertificate
) -> RegisteredCertificate:
    """Save the card's fields as changed on `certificate` (e.g. by a form) and re-derive."""
    _require_person_editable(user, certificate.person)
    stored = RegisteredCertificate.objects.get(pk=certificate.pk)
    _require_person_editable(user, stored.person)
    if any(getattr(stored, name) != getattr(certificate, name) for name in OFFICER_FIELDS):
        _require_officer(user)
        if stored.review_extended_on != certificate.review_extended_on:
            if certificate.review_extended_on:
                _require_extension_allowed(certificate, certificate.review_extended_on)
            certificate.review_extended_by = user if certificate.review_extended_on else None
    return _save(certificate)


@transaction.atomic
def certificate_review_record(
    *,
    user: User | None,
    certificate: RegisteredCertificate,
    reviewed_on: datetime.date,
    result: str,
    training_hours: Decimal | int | None,
    refusal_grounds: Iterable[str] = (),
    note: str = "",
) -> CertificateReview:
    """Record a review (复审) and move the certificate's next due date or validity on.

    第二十二条: a review before the 60-day window of its due date is refused; one after the due
    date is recorded as late (`due_on` says which due date it missed) and the certificate is
    invalid from the day after (第二十六条). A failed review names its grounds (第二十五条); a
    passed one is refused while grounds on record refuse it (violations, 第二十五条; training
    under 8 学时, 第二十三条)."""
    _require_person_editable(user, certificate.person)
    if result == ReviewResult.PASSED and training_hours is None:
        raise ValidationError({"training_hours": _("Enter the hours of review training attended.")})
    review = CertificateReview(
        certificate=certificate,
        reviewed_on=reviewed_on,
        result=ReviewResult(result),
        training_hours=None if training_hours is None else Decimal(training_hours),
        refusal_grounds=list(refusal_grounds),
        note=note,
        recorded_by=user,
    )
    _review_check(review)
    review.save()
    _save(certificate)
    return review


def review_due_for(
    certificate: RegisteredCertificate, reviewed_on: datetime.date, exclude_pk=None
) -> datetime.date | None:
    """The due date a review held on `reviewed_on` answers: the schedule of the reviews before it."""
    reviews = certificate.reviews.filter(reviewed_on__lt=reviewed_on)
    if exclude_pk is not None:
        reviews = reviews.exclude(pk=exclude_pk)
    earlier = [
        (day, r == ReviewResult.PASSED) for day, r in reviews.values_list("reviewed_on", "result")
    ]
    schedule = schedule_of(certificate, earlier)
    if schedule.invalid_since is not None:
        return None  # already invalid: nothing left to answer
    return schedule.review_due_on


def _violations_in_period(
    certificate: RegisteredCertificate, reviewed_on: datetime.date, exclude_pk=None
) -> list[Violation]:
    """The violations of the review period ending on `reviewed_on`: since the previous passed
    review, or the start of the printed validity."""
    previous = (
        certificate.reviews.filter(reviewed_on__lt=reviewed_on, result=ReviewResult.PASSED)
        .exclude(pk=exclude_pk)
        .order_by("-reviewed_on")
        .values_list("reviewed_on", flat=True)
        .first()
    )
    start = previous or validity_period_start(
        first_issued_on=certificate.first_issued_on,
        valid_until=certificate.valid_until,
        validity_years=certificate.certificate_type.validity_years,
    )
    return [
        Violation(day, serious, penalty)
        for day, serious, penalty in certificate.violations.filter(
            occurred_on__gt=start, occurred_on__lte=reviewed_on
        ).values_list("occurred_on", "serious_consequences", "administrative_penalty")
    ]


def _review_check(review: CertificateReview) -> None:
    """The model's checks, then the window (第二十二条) and the grounds (第二十三、二十五条)."""
    review.full_clean()
    certificate = review.certificate
    if certificate.certificate_type.review_interval_years:
        due = review_due_for(certificate, review.reviewed_on, exclude_pk=review.pk)
        problem = review_entry_problem(reviewed_on=review.reviewed_on, due=due)
        if problem:
            raise ValidationError({"reviewed_on": problem})
        review.due_on = due
    if review.result == ReviewResult.PASSED:
        refusal = review_pass_refusal(
            violations=_violations_in_period(certificate, review.reviewed_on, review.pk),
            training_hours=review.training_hours,
        )
        if refusal:
            raise ValidationError({"result": refusal[1]})


@transaction.atomic
def certificate_review_update(*, user: User | None, review: CertificateReview) -> CertificateReview:
    """Save a corrected review (as changed on `review`) and re-derive its certificate."""
    certificate = review.certificate
    _require_person_editable(user, certificate.person)
    _review_check(review)
    review.save()
    _save(certificate)
    return review


@transaction.atomic
def certificate_review_delete(*, user: User | None, review: CertificateReview) -> None:
    certificate = review.certificate
    _require_person_editable(user, certificate.person)
    review.delete()
    _save(certificate)


@transaction.atomic
def certificate_review_extension_record(
    *, user: User | None, certificate: RegisteredCertificate, since: datetime.date
) -> RegisteredCertificate:
    """第二十一条: the authority consented to reviews every 6 years; an officer records it, dated
    on the review at which it was granted (the interval lengthens the period after that review).
    Refused, naming the reason, without 10 years continuously in the operation or with a
    violation on record."""
    _require_officer(user)
    _require_extension_allowed(certificate, since)
    certificate.review_extended_on = since
    certificate.review_extended_by = user
    return _save(certificate)


def continuous_from(certificate: RegisteredCertificate) -> datetime.date:
    """第二十一条 "continuously in the same operation": from the first issue of that operation to
    the holder (the earliest card of this type and operation), or the return after an absence
    from the post long enough to need a re-exam (第三十二条)."""
    same = RegisteredCertificate.objects.filter(
        person_id=certificate.person_id,
        certificate_type_id=certificate.certificate_type_id,
        operation_id=certificate.operation_id,
    )
    if not certificate.operation_id:
        same = same.filter(scope=certificate.scope)
    first = min([certificate.first_issued_on, *same.values_list("first_issued_on", flat=True)])
    # Away ≥ 6 months (第三十二条) breaks it; still away counts as away until today.
    today = timezone.localdate()
    breaks = [
        returned or today
        for returned, required in PostAbsence.objects.filter(
            certificate__in=same.values("pk")
        ).values_list("returned_on", "reexam_required_from")
        if (returned or today) >= required
    ]
    return max([first, *breaks])


def _require_extension_allowed(certificate: RegisteredCertificate, since: datetime.date) -> None:
    if not certificate.certificate_type.extended_review_interval_years:
        raise ValidationError(
            {"review_extended_on": _("This certificate type has no extended review interval.")}
        )
    violations = []
    if certificate.pk is not None:
        violations = [
            Violation(day, serious, penalty)
            for day, serious, penalty in certificate.violations.values_list(
                "occurred_on", "serious_consequences", "administrative_penalty"
            )
        ]
    refusal = extended_interval_refusal(
        first_issued_on=certificate.first_issued_on,
        since=since,
        violations=violations,
        continuous_from=continuous_from(certificate),
    )
    if refusal:
        raise ValidationError({"review_extended_on": refusal})


@transaction.atomic
def certificate_violation_record(
    *,
    user: User | None,
    certificate: RegisteredCertificate,
    occurred_on: datetime.date,
    description: str,
    serious_consequences: bool = False,
    administrative_penalty: bool = False,
) -> CertificateViolation:
    """A violation of the safety rules by the holder (read by 第二十一、二十五条)."""
    _require_person_editable(user, certificate.person)
    violation = CertificateViolation(
        certificate=certificate,
        occurred_on=occurred_on,
        description=description.strip(),
        serious_consequences=serious_consequences,
        administrative_penalty=administrative_penalty,
        recorded_by=user,
    )
    violation.full_clean()
    violation.save()
    return violation


@transaction.atomic
def certificate_violation_update(
    *, user: User | None, violation: CertificateViolation
) -> CertificateViolation:
    _require_person_editable(user, violation.certificate.person)
    violation.full_clean()
    violation.save()
    return violation


@transaction.atomic
def certificate_revoke(
    *, user: User | None, certificate: RegisteredCertificate, on: datetime.date, reason: str
) -> RegisteredCertificate:
    _require_officer(user)
    certificate.revoked_on = on
    certificate.revoked_reason = reason.strip()
    return _save(certificate)


@transaction.atomic
def post_absence_record(
    *,
    user: User | None,
    certificate: RegisteredCertificate,
    left_on: datetime.date,
    returned_on: datetime.date | None = None,
    practical_exam_passed_on: datetime.date | None = None,
    note: str = "",
) -> PostAbsence:
    """A period away from the post; ≥ 6 months needs a practical exam before returning (第三十二条)."""
    _require_person_editable(user, certificate.person)
    absence = PostAbsence(
        certificate=certificate,
        left_on=left_on,
        returned_on=returned_on,
        reexam_required_from=reexam_required_from(left_on),
        practical_exam_passed_on=practical_exam_passed_on,
        note=note,
    )
    absence.full_clean()
    absence.save()
    return absence


@transaction.atomic
def post_absence_update(*, user: User | None, absence: PostAbsence) -> PostAbsence:
    _require_person_editable(user, absence.certificate.person)
    absence.reexam_required_from = reexam_required_from(absence.left_on)
    absence.full_clean()
    absence.save()
    return absence


def attachment_prepare(upload) -> tuple[str, ContentFile]:
    """(content type, file to store) of a scan: a PDF pypdf reads, or a JPEG / PNG that Pillow
    reads and re-encodes, under a generated name; anything else is refused naming the file."""
    name = getattr(upload, "name", "") or ""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s”: the scan is %(size)s; at most %(limit)s is accepted.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(ATTACHMENT_MAX_BYTES),
            }
        )
    try:
        content_type, data = scan_prepare(upload, image_formats=ATTACHMENT_IMAGE_FORMATS)
    except UploadRefused as refused:
        raise ValidationError(
            _("“%(name)s”: %(problem)s The scan must be a PDF, JPEG or PNG file.")
            % {"name": name, "problem": refused.message}
        ) from None
    return content_type, ContentFile(data, name=stored_name(content_type))


@transaction.atomic
def certificate_attachment_add(
    *, user: User | None, certificate: RegisteredCertificate, upload
) -> CertificateAttachment:
    """Attach a scan of the card, checked by what the file contains rather than its name."""
    _require_person_editable(user, certificate.person)
    content_type, content = attachment_prepare(upload)
    return CertificateAttachment.objects.create(
        certificate=certificate, file=content, content_type=content_type, uploaded_by=user
    )


def certificates_refresh(*, certificate_ids=None, chunk_size: int = 5000) -> int:
    """Recompute the derived dates of many certificates, two queries per chunk; returns changes.

    The daily job runs it over all certificates as a safety net after a corrected certificate
    type (validity, interval) or a review written outside the services. Rows are read as tuples
    and reviews by a pk range, so 100,000 certificates cost seconds, not model instances.
    """
    types = {kind.pk: kind for kind in CertificateType.objects.all()}
    queryset = RegisteredCertificate.objects.order_by("pk")
    if certificate_ids is not None:
        queryset = queryset.filter(pk__in=list(certificate_ids))
    columns = ("pk", "certificate_type_id", "first_issued_on", "valid_until", "review_extended_on")
    changed_total = 0
    last_pk = 0
    while True:
        rows = list(queryset.filter(pk__gt=last_pk).values_list(*columns, *DERIVED)[:chunk_size])
        if not rows:
            return changed_total
        first_pk, last_pk = rows[0][0], rows[-1][0]
        reviews = defaultdict(list)
        for certificate_id, day, result in CertificateReview.objects.filter(
            certificate_id__gte=first_pk, certificate_id__lte=last_pk
        ).values_list("certificate_id", "reviewed_on", "result"):
            reviews[certificate_id].append((day, result == ReviewResult.PASSED))
        changed = []
        for pk, type_id, first, until, extended_on, *derived in rows:
            kind = types[type_id]
            schedule = review_schedule(
                first_issued_on=first,
                valid_until=until,
                validity_years=kind.validity_years,
                review_interval_years=kind.review_interval_years,
                reviews=reviews.get(pk, ()),
                extended_interval_years=kind.extended_review_interval_years,
                extended_from=extended_on,
            )
            values = [getattr(schedule, name) for name in DERIVED]
            if values != derived:
                changed.append(
                    RegisteredCertificate(pk=pk, **dict(zip(DERIVED, values, strict=True)))
                )
        if changed:
            with transaction.atomic():
                RegisteredCertificate.objects.bulk_update(changed, list(DERIVED), batch_size=1000)
        changed_total += len(changed)

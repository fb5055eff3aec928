"""Writes of issued certificates: issue (idempotent per source and holder), revoke, re-issue."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import (
    CertificateCounter,
    CertificateKind,
    CertificateStatus,
    IssuedCertificate,
)
from certificates.selectors.issued import certificate_holders_for, issued_certificates_editable_by
from directory.models import Person, User

NUMBER_PREFIX = "XJ"


def certificate_number_allocate(*, year: int) -> str:
    """The next number of the year, XJ-2026-000123, without gaps between concurrent issuers.

    The UPDATE … SET last = last + 1 takes the counter row's lock until the caller's transaction
    ends, so two issuers can never read the same value (PostgreSQL row lock, SQLite file lock).
    """
    if not CertificateCounter.objects.filter(year=year).exists():
        try:
            with transaction.atomic():
                CertificateCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # another issuer created it first
    CertificateCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = CertificateCounter.objects.values_list("last", flat=True).get(year=year)
    return f"{NUMBER_PREFIX}-{year}-{last:06d}"


def _source_key(source: models.Model | None) -> tuple[ContentType | None, int | None]:
    if source is None:
        return None, None
    return ContentType.objects.get_for_model(source), source.pk


@transaction.atomic
def certificate_issue(
    *,
    holder: Person,
    title: str,
    kind: str,
    source: models.Model | None = None,
    hours: Decimal | int | float = 0,
    issued_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    issued_by: User | None = None,
) -> IssuedCertificate:
    """Issue a certificate, or return the one already issued for this source and holder.

    This is the hook the exams, courses and sessions call when someone passes or finishes:
    `certificate_issue(holder=person, title=..., kind=CertificateKind.EXAM, source=exam,
    hours=..., valid_until=...)`. Calling it again for the same `source` and `holder` (a retried
    task, a second submission) returns the existing current certificate unchanged — even a revoked
    one: issuing anew after a revocation is a deliberate `certificate_reissue`. A unique
    constraint backs this, so two concurrent calls cannot both create one.

    Without a `source` (an officer issuing by hand) every call issues a new certificate; the
    caller checks the officer's scope (`certificate_issue_by_officer`).
    """
    source_type, source_id = _source_key(source)
    if source_id is not None:
        existing = IssuedCertificate.objects.filter(
            source_type=source_type, source_id=source_id, holder=holder
        ).exclude(status=CertificateStatus.SUPERSEDED)
        found = existing.first()
        if found is not None:
            return found
    if kind not in CertificateKind.values:
        raise ValidationError({"kind": _("Unknown certificate kind.")})
    issued_on = issued_on or timezone.localdate()
    certificate = IssuedCertificate(
        holder=holder,
        title=title.strip(),
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        hours=Decimal(str(hours)),
        issued_on=issued_on,
        valid_until=valid_until,
        issued_by=issued_by,
    )
    certificate.full_clean(exclude=["number", "code"])
    try:
        with transaction.atomic():
            certificate.number = certificate_number_allocate(year=issued_on.year)
            certificate.save()
    except IntegrityError:
        if source_id is None:
            raise
        # A concurrent call for the same source and holder won the race: return its certificate.
        return IssuedCertificate.objects.exclude(status=CertificateStatus.SUPERSEDED).get(
            source_type=source_type, source_id=source_id, holder=holder
        )
    return certificate


def certificate_issue_by_officer(
    *,
    user: User,
    holder: Person,
    title: str,
    hours: Decimal | int | float = 0,
    issued_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> IssuedCertificate:
    """An officer issues a certificate by hand to someone in their scope."""
    if not certificate_holders_for(user).filter(pk=holder.pk).exists():
        raise PermissionDenied(_("You may not issue certificates to this person."))
    if not title.strip():
        raise ValidationError({"title": _("Say what the certificate is for.")})
    return certificate_issue(
        holder=holder,
        title=title,
        kind=CertificateKind.OFFICER,
        hours=hours,
        issued_on=issued_on,
        valid_until=valid_until,
        issued_by=user,
    )


def _locked_editable(user: User, certificate: IssuedCertificate) -> IssuedCertificate:
    locked = (
        issued_certificates_editable_by(user).select_for_update().filter(pk=certificate.pk).first()
    )
    if locked is None:
        raise PermissionDenied(_("You may not change this certificate."))
    return locked


@transaction.atomic
def certificate_revoke(
    *, user: User, certificate: IssuedCertificate, reason: str
) -> IssuedCertificate:
    """Revoke a valid certificate with a reason; verification shows it as revoked from now on."""
    certificate = _locked_editable(user, certificate)
    if not reason.strip():
        raise ValidationError({"revoked_reason": _("Give the reason for revoking.")})
    if certificate.status != CertificateStatus.VALID:
        raise ValidationError(_("Only a valid certificate can be revoked."))
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_reason = reason.strip()
    certificate.revoked_by = user
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["status", "revoked_reason", "revoked_by", "revoked_at"])
    return certificate


@transaction.atomic
def certificate_reissue(
    *,
    user: User,
    certificate: IssuedCertificate,
    title: str | None = None,
    hours: Decimal | int | float | None = None,
    valid_until: datetime.date | None = None,
) -> IssuedCertificate:
    """A new certificate (new number and code) replaces this one, which then shows as superseded.

    A revoked certificate may be re-issued (e.g. after a correction); a superseded one may not:
    re-issue its successor instead.
    """
    old = _locked_editable(user, certificate)
    if old.status == CertificateStatus.SUPERSEDED:
        raise ValidationError(_("This certificate has already been replaced."))
    today = timezone.localdate()
    new = IssuedCertificate(
        holder_id=old.holder_id,
        title=(title or old.title).strip(),
        kind=old.kind,
        source_type_id=old.source_type_id,
        source_id=old.source_id,
        hours=old.hours if hours is None else Decimal(str(hours)),
        issued_on=today,
        valid_until=valid_until if valid_until is not None else old.valid_until,
        issued_by=user,
    )
    # The old one leaves the "current" set first, so the unique constraint admits the new one
    # (a failed check below rolls this back with the transaction).
    old.status = CertificateStatus.SUPERSEDED
    old.save(update_fields=["status"])
    new.full_clean(exclude=["number", "code"])
    new.number = certificate_number_allocate(year=today.year)
    new.save()
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    return new

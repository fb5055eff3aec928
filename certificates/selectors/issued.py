"""Reads of issued certificates: their scoping (they follow their holder) and public look-ups."""

from django.db.models import QuerySet

from certificates.models import CertificateBatch, IssuedCertificate
from directory.constants import AccountRole
from directory.models import Person, User
from directory.scoping import account_role, narrow_to_unit
from directory.selectors import people_visible_to

# Issuing, revoking and re-issuing by hand is the supervisors' work.
ISSUER_ROLES = {AccountRole.TOWN_OFFICE, AccountRole.DEPARTMENT_OFFICER}


def issued_certificates_visible_to(
    user: User, queryset: QuerySet | None = None
) -> QuerySet[IssuedCertificate]:
    """The holder, the holder's enterprise and the officers whose scope the holder is in."""
    qs = IssuedCertificate.objects.all() if queryset is None else queryset
    if account_role(user) is None:
        return qs.none()
    return qs.filter(holder__in=people_visible_to(user))


def issued_certificates_editable_by(
    user: User, queryset: QuerySet | None = None
) -> QuerySet[IssuedCertificate]:
    qs = IssuedCertificate.objects.all() if queryset is None else queryset
    if account_role(user) not in ISSUER_ROLES:
        return qs.none()
    return issued_certificates_visible_to(user, qs)


def certificate_holders_for(user: User) -> QuerySet[Person]:
    """People an officer may issue a certificate to by hand."""
    if account_role(user) not in ISSUER_ROLES:
        return Person.objects.none()
    return people_visible_to(user)


def issued_certificates_for_person(person: Person) -> QuerySet[IssuedCertificate]:
    """A person's certificates, newest first ("我的证书"); superseded ones point to their successor."""
    return IssuedCertificate.objects.filter(holder=person).select_related("superseded_by")


def issued_certificates_for_people(
    people: QuerySet[Person], year: int
) -> QuerySet[IssuedCertificate]:
    """Certificates the platform issued in `year` to `people`, oldest first (一企一档)."""
    return (
        IssuedCertificate.objects.filter(
            holder__in=people.order_by().values("pk"), issued_on__year=year
        )
        .select_related("holder")
        .order_by("issued_on", "holder__name", "pk")
    )


def issued_certificate_by_code(code: str) -> IssuedCertificate | None:
    """Archived certificates too: /verify answers that they were withdrawn, not "not found"."""
    return (
        IssuedCertificate.all_objects.select_related("holder", "superseded_by")
        .filter(code=code)
        .first()
    )


def issued_certificate_by_number_and_name(number: str, name: str) -> IssuedCertificate | None:
    """Both must match exactly: a number alone says nothing about who holds it."""
    return (
        IssuedCertificate.all_objects.select_related("holder", "superseded_by")
        .filter(number=number.strip().upper(), holder__name=name.strip())
        .first()
    )


def certificate_current(certificate: IssuedCertificate) -> IssuedCertificate:
    """Follow re-issues to the certificate that replaces this one now."""
    seen = {certificate.pk}
    while certificate.superseded_by_id and certificate.superseded_by_id not in seen:
        certificate = IssuedCertificate.all_objects.select_related("superseded_by").get(
            pk=certificate.superseded_by_id
        )
        seen.add(certificate.pk)
    return certificate


def certificate_batches_visible_to(user: User) -> QuerySet[CertificateBatch]:
    """Print batches: each account sees its own; the town office sees all."""
    return narrow_to_unit(
        CertificateBatch.objects.select_related("created_by"), user, own="created_by"
    )


SCOPES = {IssuedCertificate: (issued_certificates_visible_to, issued_certificates_editable_by)}

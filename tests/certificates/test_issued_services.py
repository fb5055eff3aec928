"""Issuing, revoking and re-issuing certificates: numbers, codes, idempotency, scope."""

import datetime
import re
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from certificates.models import CertificateStatus, IssuedCertificate
from certificates.services.issued import (
    certificate_issue_by_officer,
    certificate_number_allocate,
    certificate_reissue,
    certificate_revoke,
)
from directory.constants import AccountRole

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER


def test_numbers_run_per_year_and_codes_are_long_and_distinct(town, issue):
    first = issue(town["person_a"])
    second = issue(town["person_b"])
    next_year = issue(town["person_a"], issued_on=datetime.date(2027, 1, 2))
    assert (first.number, second.number) == ("XJ-2026-000001", "XJ-2026-000002")
    assert next_year.number == "XJ-2027-000001"
    for cert in (first, second, next_year):
        # token_urlsafe(24): 32 url-safe characters, 192 bits.
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", cert.code)
    assert len({first.code, second.code, next_year.code}) == 3


def test_issuing_twice_for_the_same_source_returns_the_first(town, issue):
    source = town["ent_a"]  # any model instance stands for an exam, course or session
    first = issue(town["person_a"], kind="exam", source=source, title="考试合格")
    again = issue(town["person_a"], kind="exam", source=source, title="考试合格")
    other_holder = issue(town["person_b"], kind="exam", source=source, title="考试合格")
    assert again.pk == first.pk
    assert other_holder.pk != first.pk
    assert IssuedCertificate.objects.count() == 2
    assert first.source == source


def test_a_revoked_certificate_is_not_silently_reissued(town, accounts, issue):
    source = town["ent_a"]
    first = issue(town["person_a"], kind="exam", source=source)
    certificate_revoke(user=accounts[TOWN], certificate=first, reason="考试作弊")
    again = issue(town["person_a"], kind="exam", source=source)
    assert again.pk == first.pk
    assert again.status == CertificateStatus.REVOKED


def test_the_database_refuses_two_current_certificates_for_one_source(town, issue):
    from django.db import IntegrityError, transaction

    first = issue(town["person_a"], kind="exam", source=town["ent_a"])
    duplicate = IssuedCertificate(
        holder=first.holder,
        title="x",
        kind="exam",
        source_type=first.source_type,
        source_id=first.source_id,
        issued_on=first.issued_on,
        number="XJ-2026-999999",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_revoke_records_reason_who_and_when(town, accounts, issue):
    cert = issue(town["person_a"])
    certificate_revoke(user=accounts[TOWN], certificate=cert, reason="信息有误")
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.REVOKED
    assert (cert.revoked_reason, cert.revoked_by) == ("信息有误", accounts[TOWN])
    assert cert.revoked_at is not None
    with pytest.raises(ValidationError):
        certificate_revoke(user=accounts[TOWN], certificate=cert, reason="再次")


def test_revoke_needs_a_reason(town, accounts, issue):
    cert = issue(town["person_a"])
    with pytest.raises(ValidationError) as error:
        certificate_revoke(user=accounts[TOWN], certificate=cert, reason="  ")
    assert "原因" in str(error.value)


def test_reissue_makes_a_new_certificate_and_the_old_points_to_it(town, accounts, issue):
    old = issue(town["person_a"], kind="exam", source=town["ent_a"], hours=8)
    new = certificate_reissue(user=accounts[TOWN], certificate=old, title="更正后的项目")
    old.refresh_from_db()
    assert old.status == CertificateStatus.SUPERSEDED
    assert old.superseded_by == new
    assert (new.status, new.title, new.hours, new.source) == (
        "valid",
        "更正后的项目",
        8,
        old.source,
    )
    assert new.number != old.number and new.code != old.code
    # The source's current certificate is now the new one.
    assert issue(town["person_a"], kind="exam", source=town["ent_a"]).pk == new.pk
    with pytest.raises(ValidationError):
        certificate_reissue(user=accounts[TOWN], certificate=old)


def test_officers_issue_only_to_people_in_scope(town, accounts):
    dept = accounts[DEPT]  # leads enterprise a only
    cert = certificate_issue_by_officer(
        user=dept, holder=town["person_a"], title="消防培训", hours=4
    )
    assert (cert.kind, cert.issued_by) == ("officer", dept)
    with pytest.raises(PermissionDenied):
        certificate_issue_by_officer(user=dept, holder=town["person_b"], title="消防培训")
    for role in (AccountRole.VILLAGE_OFFICER, AccountRole.ENTERPRISE_MANAGER, AccountRole.LEARNER):
        with pytest.raises(PermissionDenied):
            certificate_issue_by_officer(user=accounts[role], holder=town["person_a"], title="x")


@pytest.mark.parametrize("role", [DEPT, AccountRole.ENTERPRISE_MANAGER])
def test_revoke_and_reissue_are_scoped(town, accounts, issue, role):
    other = issue(town["person_b"])
    with pytest.raises(PermissionDenied):
        certificate_revoke(user=accounts[role], certificate=other, reason="x")
    with pytest.raises(PermissionDenied):
        certificate_reissue(user=accounts[role], certificate=other)


def test_validity_cannot_end_before_issue(town, issue):
    with pytest.raises(ValidationError):
        issue(town["person_a"], valid_until=datetime.date(2026, 1, 1))


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocation_gives_distinct_numbers():
    """Threads allocating at once never share a number (the counter row's lock)."""
    if connection.vendor != "postgresql":
        # The in-memory SQLite test database is shared-cache: threads get "table is locked"
        # instead of waiting. Run the suite with DATABASE_URL=postgres://… to exercise this.
        pytest.skip("needs PostgreSQL")
    numbers, errors = [], []

    def allocate():
        from django.db import transaction

        try:
            for _ in range(5):
                with transaction.atomic():
                    numbers.append(certificate_number_allocate(year=2026))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(numbers) == [f"XJ-2026-{n:06d}" for n in range(1, 21)]

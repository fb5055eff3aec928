"""Retention of the training files (regulations.md §7: special-operation training files are kept
at least 6 years; principals' and safety managers' at least 3): a record inside its period
cannot be deleted — not in the back office, not by a service or the shell — and the refusal
names the rule and the day the record is kept until. Past the period it may be deleted."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from certificates.models import RegisteredCertificate
from directory.constants import AccountRole
from directory.retention import RETENTION_RULES, retained_until
from tests.factories.certificates import special_certificate
from tests.factories.learning import StudyHourEntryFactory
from training.learning.models.ledger import StudyHourEntry

TOWN = AccountRole.TOWN_OFFICE
TODAY = datetime.datetime(2026, 12, 5, 10, 0)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(timezone.make_aware(TODAY), tick=False)


def _refused(client, namespace, record):
    url = reverse(f"{namespace}:delete", args=[record.pk])
    shown = client.get(url, follow=True)
    posted = client.post(url, follow=True)
    return shown, posted


def test_every_training_file_has_a_period_of_at_least_six_years():
    """§7: a record that may belong to a special-operation file keeps the longer period."""
    assert set(RETENTION_RULES) == {
        "certificates.registeredcertificate",
        "certificates.issuedcertificate",
        "training.studyhourentry",
        "training.attendance",
        "training.attempt",
        "training.drillrecord",
    }
    assert {rule.years for rule in RETENTION_RULES.values()} == {6}
    assert {rule.source for rule in RETENTION_RULES.values()} == {"安全培训档案保存期限"}


def test_town_office_cannot_delete_a_2026_certificate_in_the_back_office(client, accounts, town):
    certificate = special_certificate(town["person_a"], first_issued_on=datetime.date(2026, 2, 1))
    until = retained_until(certificate)
    assert until == datetime.date(certificate.valid_until.year + 6, 2, 1)
    client.force_login(accounts[TOWN])
    shown, posted = _refused(client, "registered_certificates", certificate)
    for response in (shown, posted):
        assert response.status_code == 200
        text = response.content.decode()
        assert "保存期" in text and "特种作业培训档案至少保存6年" in text
        assert until.isoformat() in text
    assert RegisteredCertificate.objects.filter(pk=certificate.pk).exists()
    inspect = client.get(reverse("registered_certificates:inspect", args=[certificate.pk]))
    assert reverse("registered_certificates:delete", args=[certificate.pk]) not in (
        inspect.content.decode()
    )


def test_town_office_cannot_delete_a_2026_ledger_row(client, accounts, town):
    row = StudyHourEntryFactory(person=town["person_a"], date=datetime.date(2026, 3, 2))
    client.force_login(accounts[TOWN])
    _shown, posted = _refused(client, "study_hours", row)
    assert "2032-03-02" in posted.content.decode()
    assert StudyHourEntry.objects.filter(pk=row.pk).exists()


def test_no_service_or_shell_deletes_a_record_in_its_period(town):
    row = StudyHourEntryFactory(person=town["person_a"], date=datetime.date(2026, 3, 2))
    with pytest.raises(ValidationError) as caught, transaction.atomic():
        row.delete()
    assert "2032-03-02" in caught.value.messages[0]
    with pytest.raises(ValidationError), transaction.atomic():
        StudyHourEntry.objects.filter(pk=row.pk).delete()
    assert StudyHourEntry.objects.filter(pk=row.pk).exists()


def test_a_record_past_its_period_may_be_deleted(client, accounts, town):
    """Kept until 2020-01-01 + 6 years = 2026-01-01; on 2026-12-05 the town office deletes it."""
    row = StudyHourEntryFactory(person=town["person_a"], date=datetime.date(2020, 1, 1))
    assert retained_until(row) == datetime.date(2026, 1, 1)
    client.force_login(accounts[TOWN])
    response = client.post(reverse("study_hours:delete", args=[row.pk]))
    assert response.status_code == 302
    assert not StudyHourEntry.objects.filter(pk=row.pk).exists()


def test_an_expired_certificate_past_its_period_may_be_deleted(town):
    certificate = special_certificate(town["person_a"], first_issued_on=datetime.date(2010, 3, 5))
    assert retained_until(certificate) < datetime.date(2026, 12, 5)
    certificate.delete()
    assert not RegisteredCertificate.objects.filter(pk=certificate.pk).exists()

"""Archiving instead of deleting (regulations.md §7: training files are kept at least 6 years):
a record inside its retention period is archived with who, when and why; it leaves every list
and figure, comes back when restored, and its delete is still refused with a message naming
archiving. /verify says an archived certificate was withdrawn."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates.models import CertificateKind, IssuedCertificate, RegisteredCertificate
from certificates.services.issued import certificate_issue
from directory.constants import AccountRole
from directory.models import RegistryLogEntry
from directory.services import record_archive, record_restore
from reports.metrics import Scope, metric_get
from tests.factories.certificates import special_certificate
from tests.factories.drills import DrillRecordFactory
from tests.factories.learning import StudyHourEntryFactory
from tests.factories.sessions import AttendanceFactory
from training.learning.selectors.ledger import hours_by_person
from training.learning.services.ledger import ledger_history_record
from training.models import Attendance, DrillRecord, StudyHourEntry

TOWN = AccountRole.TOWN_OFFICE
YEAR = 2026
TODAY = datetime.datetime(YEAR, 11, 20, 10, 0)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(timezone.make_aware(TODAY), tick=False)


def _months(code: str) -> dict:
    result: dict = {}
    for item in metric_get(code).items(scope=Scope(), year=YEAR):
        result[item.covered_month] = result.get(item.covered_month, 0) + item.count
    return result


@pytest.fixture
def ledger(accounts, town):
    """张三 reaches his 8 hours in June (5 in March, 3 in June)."""
    rows = [
        ledger_history_record(
            user=accounts[TOWN],
            person=town["person_a"],
            training_name=f"安全培训{day}",
            hours=Decimal(hours),
            date=day,
        )
        for hours, day in (("5", datetime.date(YEAR, 3, 10)), ("3", datetime.date(YEAR, 6, 2)))
    ]
    return rows


def test_archiving_records_who_when_why_and_drops_the_hours_figure(accounts, town, ledger):
    june = StudyHourEntry.objects.get(person=town["person_a"], date=datetime.date(YEAR, 6, 2))
    assert _months("training_hours") == {6: 1, None: 1}

    archived = record_archive(record=june, user=accounts[TOWN], reason="重复录入，已另行更正")

    assert archived.archived_at == timezone.now()
    assert archived.archived_by == accounts[TOWN]
    assert archived.archive_reason == "重复录入，已另行更正"
    # Out of every list and figure: the ledger, the person's total, the coverage metric.
    assert not StudyHourEntry.objects.filter(pk=june.pk).exists()
    assert list(town["person_a"].study_hours.all()) == [ledger[0]]
    people = type(town["person_a"]).objects.filter(pk=town["person_a"].pk)
    assert hours_by_person(people=people, year=YEAR)[town["person_a"].pk] == Decimal("5")
    assert _months("training_hours") == {None: 2}
    # Kept, and the history says who and why.
    assert StudyHourEntry.all_objects.get(pk=june.pk).archive_reason == "重复录入，已另行更正"
    entry = RegistryLogEntry.objects.for_instance(june).get(action="directory.archive")
    assert entry.user == accounts[TOWN] and entry.data["reason"] == "重复录入，已另行更正"

    record_restore(record=archived, user=accounts[TOWN])
    assert StudyHourEntry.objects.filter(pk=june.pk).exists()
    assert _months("training_hours") == {6: 1, None: 1}
    assert RegistryLogEntry.objects.for_instance(june).filter(action="directory.restore").exists()


def test_an_archived_drill_no_longer_covers_its_enterprise(accounts, town):
    record = DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(YEAR, 4, 1))
    DrillRecordFactory(enterprise=town["ent_b"], date=datetime.date(YEAR, 5, 1))
    covered_before = sum(n for month, n in _months("drill_coverage").items() if month)
    record_archive(record=record, user=accounts[TOWN], reason="演练记录填错企业")
    covered_after = sum(n for month, n in _months("drill_coverage").items() if month)
    assert covered_after == covered_before - 1


def test_an_empty_reason_is_refused_in_chinese(accounts, town):
    row = StudyHourEntryFactory(person=town["person_a"], date=datetime.date(YEAR, 3, 2))
    with pytest.raises(ValidationError) as refused:
        record_archive(record=row, user=accounts[TOWN], reason="   ")
    assert refused.value.message_dict["reason"] == ["请填写归档该学时记录的原因。"]
    assert StudyHourEntry.objects.filter(pk=row.pk).exists()


def test_an_archived_record_does_not_block_entering_the_corrected_one(accounts, town):
    """The unique constraints hold among the rows in use only; restoring the old one while the
    corrected one stands is refused."""
    first = AttendanceFactory(person=town["person_a"])
    record_archive(record=first, user=accounts[TOWN], reason="签到记录有误")
    second = AttendanceFactory(session=first.session, person=town["person_a"])
    assert list(Attendance.objects.filter(session=first.session)) == [second]
    with pytest.raises(ValidationError) as refused:
        record_restore(record=first, user=accounts[TOWN])
    assert "请先将那条记录归档" in refused.value.messages[0]
    assert Attendance.all_objects.get(pk=first.pk).archived_at is not None


def test_a_certificate_number_may_be_registered_again_once_the_wrong_one_is_archived(
    accounts, town
):
    wrong = special_certificate(town["person_a"], first_issued_on=datetime.date(YEAR, 2, 1))
    record_archive(record=wrong, user=accounts[TOWN], reason="持证人录错")
    right = special_certificate(
        town["person_b"], first_issued_on=datetime.date(YEAR, 2, 1), number=wrong.number
    )
    assert list(RegisteredCertificate.objects.filter(number=wrong.number)) == [right]


# --- the back office ---------------------------------------------------------------------------


def test_the_delete_refusal_names_archiving_and_the_screen_offers_it(client, accounts, town):
    row = StudyHourEntryFactory(person=town["person_a"], date=datetime.date(YEAR, 3, 2))
    client.force_login(accounts[TOWN])
    refused = client.post(reverse("study_hours:delete", args=[row.pk]), follow=True)
    assert "请改为归档" in refused.content.decode()
    assert StudyHourEntry.objects.filter(pk=row.pk).exists()
    with pytest.raises(ValidationError) as caught, transaction.atomic():
        row.delete()
    assert "请改为归档" in caught.value.messages[0]
    archive_url = reverse("directory_archive:archive", args=["training.studyhourentry", row.pk])
    listing = client.get(reverse("study_hours:index")).content.decode()
    assert archive_url in listing and "归档" in listing


def test_archiving_and_restoring_in_the_back_office(client, accounts, town):
    record = DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(YEAR, 4, 1))
    client.force_login(accounts[TOWN])
    url = reverse("directory_archive:archive", args=["training.drillrecord", record.pk])

    form = client.get(url)
    assert form.status_code == 200
    assert "2032年4月1日" in form.content.decode()  # kept until (6 years, §7)

    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200
    assert "请填写归档该演练记录的原因。" in empty.content.decode()
    assert DrillRecord.objects.filter(pk=record.pk).exists()

    done = client.post(url, {"reason": "企业重复上报"}, follow=True)
    assert "已归档" in done.content.decode()
    assert not DrillRecord.objects.filter(pk=record.pk).exists()
    assert record.pk not in [
        r.pk for r in client.get(reverse("drill_records:index")).context["object_list"]
    ]

    archived = client.get(reverse("directory_archive:index")).content.decode()
    assert "已归档记录" in archived and "企业重复上报" in archived and "town" in archived
    restore = reverse("directory_archive:restore", args=["training.drillrecord", record.pk])
    assert restore in archived

    client.post(restore)
    assert DrillRecord.objects.filter(pk=record.pk).exists()
    assert "企业重复上报" not in client.get(reverse("directory_archive:index")).content.decode()


def test_the_inspect_screen_offers_archive_instead_of_delete(client, accounts, town):
    certificate = special_certificate(town["person_a"], first_issued_on=datetime.date(YEAR, 2, 1))
    client.force_login(accounts[TOWN])
    page = client.get(reverse("registered_certificates:inspect", args=[certificate.pk]))
    body = page.content.decode()
    assert reverse("registered_certificates:delete", args=[certificate.pk]) not in body
    archive = reverse(
        "directory_archive:archive", args=["certificates.registeredcertificate", certificate.pk]
    )
    assert archive in body


# --- /verify ---------------------------------------------------------------------------------


def test_verify_shows_an_archived_certificate_as_withdrawn(client, accounts, town):
    issued = certificate_issue(
        holder=town["person_a"], title="年度安全培训", kind=CertificateKind.OFFICER
    )
    record_archive(record=issued, user=accounts[TOWN], reason="误发")
    response = client.get(reverse("certificates_verify:detail", args=[issued.code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="archived"' in body and "该证书已归档撤出" in body
    assert "此证书有效" not in body
    assert not IssuedCertificate.objects.filter(pk=issued.pk).exists()


def test_every_retained_model_is_archivable_scoped_and_hides_archived_rows():
    """Each model a retention rule covers (§7) can be archived instead of deleted."""
    from directory.models import Archivable
    from directory.retention import retained_models
    from directory.scoping import SCOPES

    for model in retained_models():
        assert issubclass(model, Archivable), model
        assert model in SCOPES, model
        assert model._default_manager.name == "objects"
        assert model._default_manager.all().query.where  # archived_at IS NULL
        assert not model._base_manager.all().query.where  # foreign keys find archived rows


def test_the_roster_offers_archive_and_drops_an_archived_attendance(client, accounts, town):
    attendance = AttendanceFactory(person=town["person_a"])
    kept = AttendanceFactory(session=attendance.session, person=town["person_b"])
    client.force_login(accounts[TOWN])
    roster_url = reverse("session_roster", args=[attendance.session.pk])
    archive = reverse("directory_archive:archive", args=["training.attendance", attendance.pk])
    assert archive in client.get(roster_url).content.decode()
    client.post(archive, {"reason": "名单重复", "next": roster_url})
    roster = client.get(roster_url).content.decode()
    assert f'data-person="{attendance.person_id}"' not in roster
    assert f'data-person="{kept.person_id}"' in roster


def test_the_archived_list_issues_the_same_queries_for_two_rows_or_twelve(client, accounts, town):
    """One count and one page per kind of record, whatever the number of archived rows."""
    client.force_login(accounts[TOWN])

    def archived_list_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("directory_archive:index")).status_code == 200
        return len(queries)

    def archive(count: int) -> None:
        for n in range(count):
            row = StudyHourEntryFactory(person=town["person_a"], date=datetime.date(YEAR, 1, 1 + n))
            record = DrillRecordFactory(
                enterprise=town["ent_a"], date=datetime.date(YEAR, 2, 1 + n)
            )
            for each in (row, record):
                record_archive(record=each, user=accounts[TOWN], reason=f"第{n}条误录")

    archive(1)
    few = archived_list_queries()
    archive(5)
    assert archived_list_queries() == few


def test_links_to_an_archived_record_still_reach_it_and_it_still_protects_its_person(
    accounts, town
):
    """Kept means kept (§7): an attendance still names the ledger row it credited, and the
    person of an archived row cannot be deleted from the registry."""
    from django.db.models import ProtectedError

    row = StudyHourEntryFactory(person=town["person_b"], date=datetime.date(YEAR, 3, 2))
    # Another person on the roster, so that only the archived row guards 李四.
    attendance = AttendanceFactory(person=town["person_a"], ledger_entry=row)
    record_archive(record=row, user=accounts[TOWN], reason="学时重复")
    assert Attendance.objects.get(pk=attendance.pk).ledger_entry == row
    with pytest.raises(ProtectedError), transaction.atomic():
        town["person_b"].delete()

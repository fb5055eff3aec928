"""年度归档: a past year's files are filed once as PDFs with a checksum and never change with the
registry; each viewer gets the variant they may see, through the one export path; tampering is
refused; the command, the town office's button, the beat entry and the retention sweep."""

import datetime
import hashlib
import io
import logging
from decimal import Decimal

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certificates.services.issued import certificate_issue
from certificates.services.registry import certificate_review_record
from directory.constants import AccountRole
from directory.models import ExportLogEntry
from directory.services import person_update
from dossiers.archive.models import ArchivedFile, ArchiveRun
from dossiers.archive.services import archive_run_start, archive_year, archived_files_purge
from dossiers.person.selectors import person_dossier
from dossiers.tasks import yearly_archive_task
from tests.factories import PersonFactory
from tests.factories.certificates import special_certificate
from tests.factories.drills import DrillRecordFactory
from tests.factories.exams import AttemptFactory
from tests.factories.learning import StudyHourEntryFactory
from tests.factories.sessions import AttendanceFactory, TrainingSessionFactory
from training.drills.services.participants import drill_participants_add
from training.models import AttendanceStatus

pytestmark = pytest.mark.django_db
# 2 January 2027, 10:00 in Shanghai: 2026 is over, 2027 has begun.
NOW = datetime.datetime(2027, 1, 2, 2, 0, tzinfo=datetime.UTC)
Variant = ArchivedFile.Variant


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


@pytest.fixture
def filed(town):
    """张三 with records in 2026 and in 2027; 2026 archived."""
    person = town["person_a"]
    StudyHourEntryFactory(
        person=person,
        hours=Decimal("8"),
        date=datetime.date(2026, 5, 6),
        training_name="二〇二六年度再培训",
    )
    StudyHourEntryFactory(
        person=person,
        hours=Decimal("4"),
        date=datetime.date(2027, 1, 1),
        training_name="新年第一课",
    )
    AttendanceFactory(
        session=TrainingSessionFactory(
            title="有限空间专题培训", starts_at=_moment(datetime.date(2026, 12, 30))
        ),
        person=person,
        status=AttendanceStatus.PRESENT,
    )
    AttendanceFactory(
        session=TrainingSessionFactory(
            title="节后复工专题培训", starts_at=_moment(datetime.date(2027, 1, 2))
        ),
        person=person,
        status=AttendanceStatus.PRESENT,
    )
    certificate_issue(
        holder=person,
        title="新年颁发的培训证明",
        kind="officer",
        hours=8,
        issued_on=datetime.date(2027, 1, 1),
    )
    result = archive_year(2026)
    assert result.finished and not result.failed
    return person


def _row(person, variant=Variant.WHOLE) -> ArchivedFile:
    return ArchivedFile.objects.get(person=person, year=2026, variant=variant)


def _stored(row: ArchivedFile) -> bytes:
    with row.file.open("rb") as handle:
        return handle.read()


def test_a_year_is_filed_with_checksums_and_only_that_years_records(filed, town):
    rows = ArchivedFile.objects.filter(person=filed, year=2026)
    assert sorted(rows.values_list("variant", flat=True)) == ["masked", "whole"]
    for row in rows:
        data = _stored(row)
        assert row.sha256 == hashlib.sha256(data).hexdigest() and row.size == len(data)
        assert row.created_by is None and row.kind == "person"
        assert row.file.storage is not None and "/media/" not in row.file.name
    text = _text(_stored(_row(filed)))
    assert "张三" in text and "二〇二六年度再培训" in text and "有限空间专题培训" in text
    for later in ("新年第一课", "节后复工专题培训", "新年颁发的培训证明"):
        assert later not in text, later
    assert "年度归档：截至2026年12月31日的档案" in text  # as it stood at the year's end
    assert filed.id_number in text
    masked = _text(_stored(_row(filed, Variant.MASKED)))
    assert filed.id_number not in masked and filed.id_number[-4:] in masked
    # Someone with no record in 2026 and employed: filed too.
    assert ArchivedFile.objects.filter(person=town["person_b"], year=2026).count() == 2


def test_a_registry_edit_leaves_the_archive_unchanged_and_changes_the_live_page(
    client, accounts, filed, town
):
    row = _row(filed)
    before, checksum, name = _stored(row), row.sha256, row.file.name
    person_update(person=filed, user=None, values={"name": "张三丰", "employer": town["ent_b"]})
    row.refresh_from_db()
    assert (_stored(row), row.sha256, row.file.name) == (before, checksum, name)
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    html = client.get(reverse("dossiers:person", args=[filed.pk])).content.decode()
    assert "张三丰" in html and "乙建设有限公司" in html
    url = reverse("dossiers:archived_file", args=["person", filed.pk, 2026])
    assert url in html
    response = client.get(url)
    assert response.status_code == 200 and response.content == before
    text = _text(response.content)
    assert "张三丰" not in text and "甲机械有限公司" in text and "乙建设有限公司" not in text


def test_archiving_again_rewrites_nothing(filed):
    rows = {r.pk: (r.file.name, r.sha256, r.created_at) for r in ArchivedFile.objects.all()}
    result = archive_year(2026)
    assert result.written == 0 and result.skipped == len(rows)
    after = {r.pk: (r.file.name, r.sha256, r.created_at) for r in ArchivedFile.objects.all()}
    assert after == rows


@pytest.mark.parametrize(
    ("role", "whole"),
    [
        (AccountRole.LEARNER, True),
        (AccountRole.ENTERPRISE_MANAGER, True),
        (AccountRole.TOWN_OFFICE, True),
        (AccountRole.VILLAGE_OFFICER, False),
        (AccountRole.DEPARTMENT_OFFICER, False),
    ],
)
def test_each_viewer_gets_the_variant_they_may_see_and_the_download_is_logged(
    client, accounts, filed, role, whole
):
    client.force_login(accounts[role])
    response = client.get(reverse("dossiers:archived_file", args=["person", filed.pk, 2026]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = _text(response.content)
    assert (filed.id_number in text) is whole and filed.id_number[-4:] in text
    assert (filed.phone in text) is whole
    log = ExportLogEntry.objects.get(user=accounts[role])
    assert log.personal_data is whole and "2026" in log.kind


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        (AccountRole.LEARNER, 200, 404),
        (AccountRole.ENTERPRISE_MANAGER, 200, 404),
        (AccountRole.VILLAGE_OFFICER, 200, 404),
        (AccountRole.DEPARTMENT_OFFICER, 200, 404),
        (AccountRole.TOWN_OFFICE, 200, 200),
        (AccountRole.EDITOR, 404, 404),
    ],
)
def test_archived_files_are_scoped_like_the_live_file(
    client, accounts, filed, town, role, own, other
):
    client.force_login(accounts[role])
    for key, expected in (("person_a", own), ("person_b", other)):
        url = reverse("dossiers:archived_file", args=["person", town[key].pk, 2026])
        assert client.get(url).status_code == expected, (role, key)
    missing = [
        ("person", filed.pk, 2025),  # not archived
        ("nobody", filed.pk, 2026),  # no such kind
    ]
    for args in missing:
        assert client.get(reverse("dossiers:archived_file", args=args)).status_code == 404


def test_a_file_changed_in_storage_is_refused_and_logged(client, accounts, filed, caplog):
    row = _row(filed)
    with open(row.file.path, "r+b") as handle:
        handle.seek(200)
        handle.write(b"tampered")
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    with caplog.at_level(logging.ERROR, logger="dossiers.archive.services"):
        response = client.get(reverse("dossiers:archived_file", args=["person", filed.pk, 2026]))
    assert response.status_code == 409
    assert "校验" in response.content.decode() and response["Content-Type"].startswith("text/html")
    assert any(str(row.pk) in r.getMessage() for r in caplog.records)
    assert not ExportLogEntry.objects.exists()
    # The masked variant, untouched, is still handed out.
    client.force_login(accounts[AccountRole.VILLAGE_OFFICER])
    url = reverse("dossiers:archived_file", args=["person", filed.pk, 2026])
    assert client.get(url).status_code == 200


def test_the_management_command_archives_a_past_year_only(town):
    StudyHourEntryFactory(person=town["person_a"], date=datetime.date(2025, 3, 1))
    out = io.StringIO()
    call_command("archive_dossiers", "--year", "2025", "--kind", "person", stdout=out)
    assert ArchivedFile.objects.filter(year=2025, person=town["person_a"]).count() == 2
    assert "2025" in out.getvalue() and "file(s) written" in out.getvalue()
    out = io.StringIO()
    call_command("archive_dossiers", "--year", "2025", stdout=out)
    assert " 0 file(s) written" in out.getvalue()
    for year in ("2027", "2030"):
        with pytest.raises(CommandError, match="尚未结束"):
            call_command("archive_dossiers", "--year", year)
    with pytest.raises(CommandError, match="保存期"):
        call_command("archive_dossiers", "--year", "2019")
    assert not ArchivedFile.objects.filter(year__in=[2019, 2027, 2030]).exists()


def test_the_beat_archives_last_year_on_the_first_of_january(
    town, django_capture_on_commit_callbacks
):
    entry = settings.CELERY_BEAT_SCHEDULE["dossiers-yearly-archive"]
    assert entry["task"] == "dossiers.tasks.yearly_archive"
    assert entry["schedule"] == crontab(month_of_year=1, day_of_month=1, hour=2, minute=0)
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    with django_capture_on_commit_callbacks(execute=True):
        result = yearly_archive_task.delay("2027-01-01").get()
    run = ArchiveRun.objects.get(pk=result["run"])
    assert (run.year, run.status, run.created_by) == (2026, "done", None)
    assert run.done == run.total >= 2 and run.written == ArchivedFile.objects.count()
    assert ArchivedFile.objects.filter(person=town["person_a"], year=2026).count() == 2


def test_the_town_office_queues_a_past_year_and_follows_its_progress(
    client, accounts, town, django_capture_on_commit_callbacks
):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    index = reverse("dossier_archive:index")
    page = client.get(index).content.decode()
    assert '<option value="2026"' in page and '<option value="2027"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(index, {"year": "2026", "kinds": ["person"]})
    run = ArchiveRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "dossier_archive:run", args=[run.pk]
    )
    assert run.created_by == accounts[AccountRole.TOWN_OFFICE] and run.year == 2026
    page = client.get(response["Location"]).content.decode()
    assert "年度归档" in page and "已完成" in page
    assert "2026" in client.get(index).content.decode()  # the overview lists the year
    progress = client.get(reverse("dossier_archive:run_progress", args=[run.pk])).json()
    assert progress["status"] == "done" and progress["done"] == progress["total"] >= 2
    assert ArchivedFile.objects.filter(year=2026, created_by=run.created_by).count() >= 4
    # Never the current or a future year.
    for year in ("2027", "2028"):
        response = client.post(index, {"year": year, "kinds": ["person"]})
        assert response.status_code == 200 and "2027" not in dict(
            response.context["form"].fields["year"].choices
        )
        assert ArchiveRun.objects.count() == 1
    # Only the town office.
    for role in (AccountRole.VILLAGE_OFFICER, AccountRole.ENTERPRISE_MANAGER):
        client.force_login(accounts[role])
        assert client.get(index).status_code == 404
        assert client.post(index, {"year": "2026", "kinds": ["person"]}).status_code == 404
        assert client.get(reverse("dossier_archive:run", args=[run.pk])).status_code == 404


def test_files_past_their_retention_are_deleted_by_the_yearly_task_and_only_then(town):
    with time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC), tick=False):
        StudyHourEntryFactory(person=town["person_a"], date=datetime.date(2020, 3, 1))
        StudyHourEntryFactory(person=town["person_a"], date=datetime.date(2021, 3, 1))
        archive_year(2020)
        archive_year(2021)
    counts = {y: ArchivedFile.objects.filter(year=y).count() for y in (2020, 2021)}
    assert counts[2020] >= 2 and counts[2021] >= 2
    old = ArchivedFile.objects.filter(year=2020).first()
    name = old.file.name
    # Inside its period (2021's until 31 December 2027) a file cannot be deleted by hand.
    kept = ArchivedFile.objects.filter(year=2021).first()
    with pytest.raises(ValidationError, match="保存期"), transaction.atomic():
        kept.delete()
    # The yearly task on 1 January 2027: 2020's files have been kept six full years, 2021's not.
    assert yearly_archive_task.delay("2027-01-01").get()["deleted"] == counts[2020]
    assert not ArchivedFile.objects.filter(year=2020).exists()
    assert not old.file.storage.exists(name)
    assert ArchivedFile.objects.filter(year=2021).count() == counts[2021]
    assert archived_files_purge(today=datetime.date(2027, 1, 2)) == 0


def test_the_person_page_lists_the_archived_years(client, accounts, filed):
    client.force_login(accounts[AccountRole.LEARNER])
    html = client.get(reverse("dossiers:person", args=[filed.pk])).content.decode()
    assert "年度归档" in html or "归档年份" in html
    assert reverse("dossiers:archived_file", args=["person", filed.pk, 2026]) in html
    other = PersonFactory(employer=filed.employer)
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    html = client.get(reverse("dossiers:person", args=[other.pk])).content.decode()
    assert reverse("dossiers:archived_file", args=["person", other.pk, 2026]) not in html


def test_the_cut_off_leaves_out_every_kind_of_later_record(accounts, town):
    """`person_dossier(until=...)`: each section stops at the day; without it, all shows."""
    person = town["person_a"]
    in_year, later = datetime.date(2026, 11, 3), datetime.date(2027, 1, 2)
    card = special_certificate(person, first_issued_on=datetime.date(2020, 9, 1), number="T1")
    special_certificate(person, first_issued_on=later, number="T2")
    for day in (in_year, later):
        StudyHourEntryFactory(person=person, date=day)
        AttendanceFactory(
            session=TrainingSessionFactory(starts_at=_moment(day)),
            person=person,
            status=AttendanceStatus.PRESENT,
        )
        AttemptFactory(person=person, started_at=_moment(day), exam__paper__bank__name=f"题库{day}")
        certificate_issue(holder=person, title=f"证明{day}", kind="officer", hours=8, issued_on=day)
        drill = DrillRecordFactory(enterprise=person.employer, date=day, meets_evacuation=True)
        drill_participants_add(user=None, record=drill, people=[person])
        certificate_review_record(
            user=None, certificate=card, reviewed_on=day, result="passed", training_hours=8
        )
    person_update(person=person, user=None, values={"post": "焊工班长"})  # logged today, 2027
    viewer = accounts[AccountRole.TOWN_OFFICE]
    end = datetime.date(2026, 12, 31)
    cut = person_dossier(person=person, viewer=viewer, today=end, until=end)
    full = person_dossier(person=person, viewer=viewer, today=later)
    sizes = lambda d: (  # noqa: E731
        sum(len(entries) for _y, _t, entries in d.ledger),
        len(d.attendances),
        len(d.attempts),
        len(d.issued),
        len(d.certificates),
        sum(len(c.reviews.all()) for c in d.certificates),
        len(d.employment),
        len(d.drills),
    )
    assert sizes(cut) == (1, 1, 1, 1, 1, 1, 0, 1) and [y for y, *_ in cut.ledger] == [2026]
    assert sizes(full) == (2, 2, 2, 2, 2, 2, 1, 2)
    assert cut.requirements[-1].year == 2026


def test_a_run_out_of_time_queues_itself_again_and_resumes_where_it_was(
    town, settings, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("dossiers.archive.services.CHUNK", 1)
    first = archive_year(2026, seconds=0)
    assert not first.finished and first.done == 1 and first.written == 2
    settings.DOSSIER_ARCHIVE_TASK_SECONDS = 0  # each pass: one person, then the next message
    with django_capture_on_commit_callbacks(execute=True):
        run = archive_run_start(year=2026, today=datetime.date(2027, 1, 2))
    run.refresh_from_db()
    files = ArchivedFile.objects.filter(year=2026).count()
    assert run.status == "done" and run.done == run.total == files // 2 >= 3
    assert run.written == files - 2  # the first person's two files were there already


def test_an_enterprise_file_is_filed_for_the_year_and_kept_as_it_was(client, accounts, filed, town):
    """一企一档 of 2026: its people's 2026 hours, as of 31 December; whole numbers for its manager,
    masked for its village; a registry edit leaves the stored file as it was."""
    enterprise = filed.employer
    # Registered in 2026 (the fixtures are made on the clock's day, 2 January 2027).
    type(enterprise).objects.filter(pk=enterprise.pk).update(
        created_at=_moment(datetime.date(2026, 3, 1))
    )
    assert archive_year(2026).finished
    whole = ArchivedFile.objects.get(enterprise=enterprise, year=2026, variant=Variant.WHOLE)
    masked = ArchivedFile.objects.get(enterprise=enterprise, year=2026, variant=Variant.MASKED)
    for row in (whole, masked):
        assert row.kind == "enterprise" and row.sha256 == hashlib.sha256(_stored(row)).hexdigest()
    text = _text(_stored(whole))
    assert enterprise.name in text and "2026" in text and "张三" in text
    assert "年度归档：截至2026年12月31日的档案" in text
    before = _stored(whole)
    enterprise.name = "甲机械（集团）有限公司"
    enterprise.save()
    assert _stored(whole) == before and ArchivedFile.objects.get(pk=whole.pk).sha256 == whole.sha256

    url = reverse("dossiers:archived_file", args=["enterprise", enterprise.pk, 2026])
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    page = client.get(reverse("dossiers:enterprise", args=[enterprise.pk]))
    assert url in page.content.decode()
    response = client.get(url)
    assert (
        b"".join(response.streaming_content) if response.streaming else response.content
    ) == before
    client.force_login(accounts[AccountRole.VILLAGE_OFFICER])
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == _stored(masked)

"""A drill's list of participants: the enterprise's people only, each once, entered in the back
office or on the phone, imported from the sign-in sheet (all or nothing), and the demo's lists."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from directory.constants import AccountRole
from directory.models import ImportJob
from tests.directory.importing_helpers import write_xlsx
from tests.factories import PersonFactory
from tests.factories.drills import DrillRecordFactory
from tests.training.drills.test_entry import data as entry_data
from training.drills.selectors.participants import drills_participated_by
from training.drills.services.participants import (
    drill_participants_add,
    drill_participants_remove,
)
from training.drills.services.records import drill_record_update
from training.models import DrillParticipant, DrillRecord, ParticipantSource

pytestmark = pytest.mark.django_db
R = AccountRole
HEADER = ["姓名", "身份证号", "签到时间", "备注"]


@pytest.fixture
def record(town):
    return DrillRecordFactory(enterprise=town["ent_a"])


def _bad_checksum(id_number: str) -> str:
    last = id_number[-1]
    return id_number[:-1] + ("0" if last != "0" else "1")


# --- the service's rules ------------------------------------------------------------------


def test_people_of_the_enterprise_are_listed_each_once(town, accounts, record):
    zhou = PersonFactory(name="周八", employer=town["ent_a"])
    manager = accounts[R.ENTERPRISE_MANAGER]
    added = drill_participants_add(
        user=manager, record=record, people=[town["person_a"], zhou], remark="疏散引导员"
    )
    assert {p.person for p in added} == {town["person_a"], zhou}
    listed = record.participants.get(person=zhou)
    assert (listed.remark, listed.source, listed.added_by) == (
        "疏散引导员",
        ParticipantSource.ENTERED,
        manager,
    )
    # Already on the list: refused, naming the person; nothing else is added with it.
    wang = PersonFactory(name="王九", employer=town["ent_a"])
    with pytest.raises(ValidationError) as refused:
        drill_participants_add(user=manager, record=record, people=[wang, zhou])
    assert refused.value.message_dict["participants"] == ["周八已在演练名单中。"]
    assert not record.participants.filter(person=wang).exists()
    # Named twice in one go.
    with pytest.raises(ValidationError) as refused:
        drill_participants_add(user=manager, record=record, people=[wang, wang])
    assert refused.value.message_dict["participants"] == ["王九重复列出。"]
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        DrillParticipant.objects.create(record=record, person=zhou)


def test_people_of_another_enterprise_are_refused_by_name(town, accounts, record):
    with pytest.raises(ValidationError) as refused:
        drill_participants_add(
            user=accounts[R.TOWN_OFFICE],
            record=record,
            people=[town["person_a"], town["person_b"], town["inspector_a"]],
        )
    assert refused.value.message_dict["participants"] == [
        "李四不是甲机械有限公司的人员，不能列入该企业演练的名单。",
        "王五不是甲机械有限公司的人员，不能列入该企业演练的名单。",
    ]
    assert not DrillParticipant.objects.exists()


def test_only_those_who_may_change_the_record_list_or_remove(town, accounts, record):
    other = DrillRecordFactory(enterprise=town["ent_b"])
    with pytest.raises(PermissionDenied):
        drill_participants_add(
            user=accounts[R.ENTERPRISE_MANAGER], record=other, people=[town["person_b"]]
        )
    with pytest.raises(PermissionDenied):
        drill_participants_add(
            user=accounts[R.VILLAGE_OFFICER], record=record, people=[town["person_a"]]
        )
    (listed,) = drill_participants_add(user=None, record=record, people=[town["person_a"]])
    with pytest.raises(PermissionDenied):
        drill_participants_remove(
            user=accounts[R.VILLAGE_OFFICER],
            record=record,
            participant_ids=[listed.pk],
        )
    assert drill_participants_remove(
        user=accounts[R.ENTERPRISE_MANAGER], record=record, participant_ids=[listed.pk]
    )
    assert not record.participants.exists()


def test_a_persons_drills_oldest_first_without_archived_records(town, record):
    person = town["person_a"]
    earlier = DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(2025, 10, 9))
    archived = DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(2025, 11, 1))
    for drill in (record, earlier, archived):
        drill_participants_add(user=None, record=drill, people=[person])
    DrillRecord.all_objects.filter(pk=archived.pk).update(
        archived_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC), archive_reason="重复录入"
    )
    assert [p.record for p in drills_participated_by(person)] == [earlier, record]


def test_a_listed_drill_cannot_move_to_another_enterprise(client, town, accounts, record):
    from tests.training.drills.test_admin import post_data

    drill_participants_add(user=None, record=record, people=[town["person_a"]])
    with pytest.raises(ValidationError) as refused:
        drill_record_update(user=accounts[R.TOWN_OFFICE], record=record, enterprise=town["ent_b"])
    assert "名单中有其他企业的人员（张三）" in refused.value.message_dict["enterprise"][0]
    client.force_login(accounts[R.TOWN_OFFICE])
    url = reverse("drill_records:edit", args=[record.pk])
    page = client.post(url, post_data(town["ent_b"])).content.decode()
    assert "请先将其移出名单，再更改企业" in page
    assert DrillRecord.objects.get(pk=record.pk).enterprise == town["ent_a"]
    # The same enterprise keeps its list.
    assert client.post(url, post_data(town["ent_a"], evacuated=19)).status_code == 302
    assert record.participants.count() == 1


# --- the sign-in sheet --------------------------------------------------------------------


def _import(path, record, *, dry_run=False) -> str:
    out = io.StringIO()
    args = ["import_data", "drill_participants", str(path), "--drill", str(record.pk)]
    call_command(*args, *(["--dry-run"] if dry_run else []), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_sign_in_sheet_lists_the_enterprises_people(tmp_path, town, record):
    zhou = PersonFactory(name="周八", employer=town["ent_a"])
    path = write_xlsx(
        tmp_path / "演练签到表.xlsx",
        HEADER,
        [
            ["张三", town["person_a"].id_number, "13:55", "现场总指挥"],
            ["周八", zhou.id_number, "", ""],
        ],
    )
    out = _import(path, record, dry_run=True)
    assert "试运行：未写入任何数据。" in out and not record.participants.exists()
    _import(path, record)
    zhang = record.participants.get(person=town["person_a"])
    assert zhang.source == ParticipantSource.SIGN_IN_SHEET
    assert (zhang.signed_in_at, zhang.remark) == (datetime.time(13, 55), "现场总指挥")
    assert record.participants.get(person=zhou).signed_in_at is None
    # The same sheet again changes nothing.
    assert "新增 0 条，更新 0 条，无变化 2 条" in _import(path, record)
    assert record.participants.count() == 2


def test_bad_rows_are_named_and_nothing_is_written(tmp_path, town, record):
    zhou = PersonFactory(name="周八", employer=town["ent_a"])
    wu = PersonFactory(name="吴十", employer=town["ent_a"])
    unknown = PersonFactory.build().id_number
    path = write_xlsx(
        tmp_path / "演练签到表.xlsx",
        HEADER,
        [
            ["周八", zhou.id_number, "13:58", ""],  # good
            ["李四", town["person_b"].id_number, "", ""],  # another enterprise
            ["张三", _bad_checksum(town["person_a"].id_number), "", ""],  # bad check digit
            ["无名", unknown, "", ""],  # not registered
            ["周八", zhou.id_number, "", ""],  # twice
            ["张四", town["person_a"].id_number, "", ""],  # name does not match
            ["吴十", wu.id_number, "下午", ""],  # not a time
        ],
    )
    with pytest.raises(CommandError):
        _import(path, record)
    assert not DrillParticipant.objects.exists()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_data",
            "drill_participants",
            str(path),
            "--drill",
            str(record.pk),
            stdout=out,
            stderr=io.StringIO(),
        )
    report = out.getvalue()
    lines = {
        int(line.split(" ")[1]): line.split(" — ", 1)[1]
        for line in report.splitlines()
        if " — " in line
    }
    assert lines == {
        3: "李四不是甲机械有限公司的人员，不能列入该企业演练的名单。",
        4: "身份证号：身份证号校验码错误。",
        5: f"身份证号：没有登记身份证号为“{unknown}”的人员。",
        6: "身份证号与本文件第 2 行重复。",
        7: "姓名与该身份证号的登记姓名（张三）不符。",
        8: "签到时间：“下午”不是时间（例如 9:05）。",
    }
    assert "拒绝 6 条" in report


def test_a_sheet_needs_its_drill(tmp_path, town, record):
    path = write_xlsx(tmp_path / "s.xlsx", HEADER, [["张三", town["person_a"].id_number, "", ""]])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_data", "drill_participants", str(path), stdout=out, stderr=io.StringIO()
        )
    assert "请指明签到表所属的演练记录（--drill）" in out.getvalue()
    assert not DrillParticipant.objects.exists()


# --- the back office and the phone ----------------------------------------------------------


def test_back_office_list_add_remove_and_count(client, town, accounts, record):
    zhou = PersonFactory(name="周八", employer=town["ent_a"])
    url = reverse("drill_participants", args=[record.pk])
    client.force_login(accounts[R.ENTERPRISE_MANAGER])
    page = client.get(url).content.decode()
    assert "张三" in page and "周八" in page and "李四" not in page  # the enterprise's people
    assert "未列参加人员名单" in page
    response = client.post(url, {"add-people": [town["person_a"].pk, zhou.pk], "add-remark": ""})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "名单 2 人 / 现场人数 40" in page
    review = client.get(reverse("drill_review", args=[record.pk])).content.decode()
    assert "名单 2 人 / 现场人数 40" in review
    # Someone of another enterprise cannot be chosen (not among the choices).
    page = client.post(url, {"add-people": [town["person_b"].pk]}).content.decode()
    assert "选择一个有效的选项" in page and record.participants.count() == 2
    # The search narrows the choices.
    assert "周八" not in client.get(url, {"q": "张"}).content.decode().split('id="add-form"')[1]
    listed = record.participants.get(person=zhou)
    client.post(url, {"remove": "1", "participant": [listed.pk]})
    assert list(record.participants.values_list("person", flat=True)) == [town["person_a"].pk]
    # The phone list and the printed record show the count too.
    phone = client.get(reverse("training:drill_list")).content.decode()
    assert "名单 1 人 / 现场人数 40" in phone
    pdf = client.get(reverse("training:drill_record_pdf", args=[record.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "参加人员" in text and "名单 1 人 / 现场人数 40" in text and "张三" in text


def test_a_village_officer_reads_the_list_and_changes_nothing(client, town, accounts, record):
    drill_participants_add(user=None, record=record, people=[town["person_a"]])
    url = reverse("drill_participants", args=[record.pk])
    client.force_login(accounts[R.VILLAGE_OFFICER])
    page = client.get(url).content.decode()
    assert "张三" in page and town["person_a"].id_number not in page  # masked
    assert 'id="add-form"' not in page
    listed = record.participants.get()
    # Refused (Wagtail turns the refusal into a redirect to the dashboard); nothing removed.
    response = client.post(url, {"remove": "1", "participant": [listed.pk]})
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert record.participants.filter(pk=listed.pk).exists()
    client.force_login(accounts[R.DEPARTMENT_OFFICER])
    other = DrillRecordFactory(enterprise=town["ent_b"])
    assert client.get(reverse("drill_participants", args=[other.pk])).status_code == 404


def test_the_sheet_uploaded_on_the_list_page_goes_through_the_import(
    client, tmp_path, town, accounts, record, django_capture_on_commit_callbacks
):
    path = write_xlsx(
        tmp_path / "演练签到表.xlsx", HEADER, [["张三", town["person_a"].id_number, "14:01", ""]]
    )
    client.force_login(accounts[R.ENTERPRISE_MANAGER])
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("drill_participants", args=[record.pk]), {"sheet-file": upload}
        )
    job = ImportJob.objects.get()
    assert response.url == reverse("directory_imports:job", args=[job.pk])
    assert job.kind == "drill_participants" and job.options == {"drill": record.pk}
    assert job.status == ImportJob.Status.CHECKED and not job.has_errors, job.report
    assert not record.participants.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory_imports:confirm", args=[job.pk]))
    (listed,) = record.participants.all()
    assert listed.source == ParticipantSource.SIGN_IN_SHEET
    assert listed.added_by == accounts[R.ENTERPRISE_MANAGER]
    # Another enterprise's drill cannot be named on the import page.
    other = DrillRecordFactory(enterprise=town["ent_b"])
    page = client.post(
        reverse("directory_imports:index"),
        {
            "kind": "drill_participants",
            "drill_participants__drill": other.pk,
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
        },
    ).content.decode()
    assert "您可管理的演练记录中没有这个编号" in page


def test_the_phone_entry_lists_the_people_ticked(client, town, accounts):
    zhou = PersonFactory(name="周八", employer=town["ent_a"])
    client.force_login(accounts[R.ENTERPRISE_MANAGER])
    form = client.get("/drills/new/").content.decode()
    assert "参加人员（可选）" in form and "周八" in form and "李四" not in form
    response = client.post("/drills/new/", entry_data(participants=[zhou.pk]))
    assert response.status_code == 302, response.content.decode()
    record = DrillRecord.objects.get()
    assert [p.person for p in record.participants.all()] == [zhou]
    # A person of another enterprise is refused and nothing is written.
    response = client.post(
        "/drills/new/", entry_data(date="2026-04-02", participants=[town["person_b"].pk])
    )
    assert response.status_code == 200 and DrillRecord.objects.count() == 1

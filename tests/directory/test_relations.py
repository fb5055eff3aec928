"""Related units and attached workers: validation (model and database), the services, the
import (good file, bad rows writing nothing), and the host manager's view of attached people."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from directory.constants import AccountRole, EmploymentType
from directory.models import Attachment, EnterpriseRelation, RelationKind
from directory.relations.services import (
    attachment_end,
    attachment_record,
    relation_end,
    relation_record,
)
from directory.selectors import people_visible_to, sees_personal_data
from tests.directory.importing_helpers import write_xlsx
from tests.factories import EnterpriseFactory, PersonFactory

TODAY = datetime.date(2026, 11, 20)
START = datetime.date(2026, 1, 1)
RELATION_HEADERS = [
    "企业统一社会信用代码",
    "关联单位统一社会信用代码",
    "关联单位名称",
    "关系类型",
    "开始日期",
    "结束日期",
    "作业场所",
]
ATTACHMENT_HEADERS = ["姓名", "身份证号", "用工企业统一社会信用代码", "开始日期", "结束日期"]


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(9))))


def contract(town, **kwargs):
    values = {
        "user": None,
        "host": town["ent_a"],
        "unit": town["ent_b"],
        "kind": RelationKind.CONTRACTOR,
        "starts_on": START,
    }
    return relation_record(**(values | kwargs))


# --- relations ---------------------------------------------------------------------------


def test_an_enterprise_is_not_its_own_related_unit(town):
    with pytest.raises(ValidationError) as refused:
        contract(town, unit=town["ent_a"])
    assert "unit" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseRelation.objects.create(
            host=town["ent_a"], unit=town["ent_a"], kind=RelationKind.TENANT, starts_on=START
        )


def test_no_second_relation_of_the_same_kind_while_one_is_in_force(town):
    contract(town)
    with pytest.raises(ValidationError) as refused:
        contract(town, starts_on=datetime.date(2026, 6, 1))
    assert "乙建设有限公司" in refused.value.message_dict["unit"][0]
    # Another kind between the same two is a different relation.
    contract(town, kind=RelationKind.TENANT)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseRelation.objects.create(
            host=town["ent_a"], unit=town["ent_b"], kind=RelationKind.CONTRACTOR, starts_on=TODAY
        )


def test_a_relation_cannot_end_before_it_starts(town):
    with pytest.raises(ValidationError) as refused:
        contract(town, ends_on=datetime.date(2025, 12, 31))
    assert "ends_on" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseRelation.objects.create(
            host=town["ent_a"],
            unit=town["ent_b"],
            kind=RelationKind.CONTRACTOR,
            starts_on=START,
            ends_on=datetime.date(2025, 1, 1),
        )


def test_after_a_relation_ended_a_new_one_may_follow(town):
    relation = contract(town)
    relation_end(user=None, relation=relation, ends_on=datetime.date(2026, 3, 31))
    follow = contract(town, starts_on=datetime.date(2026, 4, 1))
    assert follow.pk != relation.pk


def test_only_the_hosts_keepers_record_its_related_units(town, accounts):
    contract(town, user=accounts[AccountRole.ENTERPRISE_MANAGER])
    with pytest.raises(PermissionDenied):
        contract(
            town,
            user=accounts[AccountRole.ENTERPRISE_MANAGER],
            host=town["ent_b"],
            unit=town["ent_a"],
        )
    with pytest.raises(PermissionDenied):
        contract(town, user=accounts[AccountRole.VILLAGE_OFFICER], kind=RelationKind.TENANT)


# --- attachments -------------------------------------------------------------------------


def test_an_attachment_rests_on_a_relation_or_on_dispatched_or_flexible_work(town):
    worker = town["person_b"]
    with pytest.raises(ValidationError) as refused:
        attachment_record(user=None, person=worker, host=town["ent_a"], starts_on=START)
    assert "relation" in refused.value.message_dict
    relation = contract(town)
    attached = attachment_record(user=None, person=worker, host=town["ent_a"], starts_on=START)
    assert attached.relation == relation
    assert worker.employer == town["ent_b"]  # the employer is unchanged
    flexible = PersonFactory(employer=None, employment_type=EmploymentType.FLEXIBLE)
    alone = attachment_record(user=None, person=flexible, host=town["ent_a"], starts_on=START)
    assert alone.relation is None


def test_no_attachment_to_the_own_employer_nor_twice_at_once(town):
    contract(town)
    with pytest.raises(ValidationError) as refused:
        attachment_record(user=None, person=town["person_a"], host=town["ent_a"], starts_on=START)
    assert "host" in refused.value.message_dict
    attachment_record(user=None, person=town["person_b"], host=town["ent_a"], starts_on=START)
    with pytest.raises(ValidationError):
        attachment_record(user=None, person=town["person_b"], host=town["ent_a"], starts_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.create(person=town["person_b"], host=town["ent_a"], starts_on=TODAY)


def test_an_attachment_stays_within_its_relation(town):
    contract(town, starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 12, 31))
    with pytest.raises(ValidationError) as refused:
        attachment_record(
            user=None,
            person=town["person_b"],
            host=town["ent_a"],
            starts_on=datetime.date(2026, 3, 1),
        )
    assert "ends_on" in refused.value.message_dict


def test_ending_the_relation_ends_the_attachments_through_it(town):
    relation = contract(town)
    attached = attachment_record(
        user=None, person=town["person_b"], host=town["ent_a"], starts_on=START
    )
    relation_end(user=None, relation=relation, ends_on=datetime.date(2026, 10, 31))
    attached.refresh_from_db()
    assert attached.ends_on == datetime.date(2026, 10, 31)
    assert not attached.is_current()


# --- scoping -------------------------------------------------------------------------------


def test_the_hosts_manager_sees_attached_people_masked_until_the_end(town, accounts):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    worker = town["person_b"]
    assert not people_visible_to(manager).filter(pk=worker.pk).exists()
    contract(town)
    attached = attachment_record(user=manager, person=worker, host=town["ent_a"], starts_on=START)
    assert people_visible_to(manager).filter(pk=worker.pk).exists()
    assert people_visible_to(manager).filter(pk=town["person_a"].pk).exists()
    assert people_visible_to(manager).count() == 2
    assert not sees_personal_data(manager, worker)
    # The contractor's own side is unchanged: its people stay its own.
    assert worker.employer_id == town["ent_b"].pk
    attachment_end(user=manager, attachment=attached, ends_on=datetime.date(2026, 11, 19))
    assert not people_visible_to(manager).filter(pk=worker.pk).exists()


def test_the_manager_does_not_see_people_attached_elsewhere_or_later(town, accounts):
    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    contract(town)
    attachment_record(
        user=None,
        person=town["person_b"],
        host=town["ent_a"],
        starts_on=datetime.date(2026, 12, 1),
    )
    assert not people_visible_to(manager).filter(pk=town["person_b"].pk).exists()


# --- import --------------------------------------------------------------------------------


@pytest.fixture
def contractor_c(town):
    return EnterpriseFactory(name="丙劳务有限公司")


def test_import_relations_and_attachments(town, contractor_c, tmp_path):
    a, b, c = town["ent_a"], town["ent_b"], contractor_c
    relations = write_xlsx(
        tmp_path / "relations.xlsx",
        RELATION_HEADERS,
        [
            [a.credit_code, b.credit_code, b.name, "外包单位", "2026-01-01", "", "一号车间"],
            [a.credit_code, c.credit_code, "", "劳务派遣", "2026/2/1", "2026-12-31", ""],
            [b.credit_code, a.credit_code, a.name, "承租单位", "2026年3月1日", "", "仓库"],
        ],
    )
    call_command("import_data", "relations", str(relations))
    assert EnterpriseRelation.objects.count() == 3
    dispatch = EnterpriseRelation.objects.get(unit=c)
    assert dispatch.kind == RelationKind.LABOUR_DISPATCH
    assert dispatch.ends_on == datetime.date(2026, 12, 31)
    worker = PersonFactory(name="周九", employer=c)
    attachments = write_xlsx(
        tmp_path / "attachments.xlsx",
        ATTACHMENT_HEADERS,
        [
            ["李四", town["person_b"].id_number, a.credit_code, "2026-01-05", ""],
            ["周九", worker.id_number, a.credit_code, "2026-02-01", "2026-12-31"],
        ],
    )
    call_command("import_data", "attachments", str(attachments))
    rows = {row.person_id: row for row in Attachment.objects.all()}
    assert rows[town["person_b"].pk].relation.unit == b
    assert rows[worker.pk].relation == dispatch
    # The same files again change nothing.
    call_command("import_data", "relations", str(relations))
    call_command("import_data", "attachments", str(attachments))
    assert EnterpriseRelation.objects.count() == 3
    assert Attachment.objects.count() == 2


def test_bad_rows_are_named_and_nothing_is_written(town, contractor_c, tmp_path, capsys):
    a, b, c = town["ent_a"], town["ent_b"], contractor_c
    relations = write_xlsx(
        tmp_path / "relations.xlsx",
        RELATION_HEADERS,
        [
            [a.credit_code, b.credit_code, b.name, "外包单位", "2026-01-01", "", ""],
            [a.credit_code, a.credit_code, "", "外包单位", "2026-01-01", "", ""],
            [a.credit_code, c.credit_code, "", "合作", "2026-01-01", "", ""],
            [a.credit_code, b.credit_code, "", "外包单位", "2026-05-01", "", ""],
            [a.credit_code, c.credit_code, "丁公司", "承租单位", "2026-01-01", "2025-01-01", ""],
        ],
    )
    with pytest.raises(CommandError):
        call_command("import_data", "relations", str(relations))
    lines = capsys.readouterr().out.splitlines()

    def line_of(row: int) -> str:
        return next(line for line in lines if line.startswith(f"第 {row} 行 [拒绝]"))

    assert "关联单位统一社会信用代码：" in line_of(3)  # the enterprise itself
    assert "关系类型：" in line_of(4) and "合作" in line_of(4)
    assert "第 2 行" in line_of(5)  # overlaps the contract of row 2
    assert "关联单位名称：" in line_of(6) and "丙劳务有限公司" in line_of(6)
    assert EnterpriseRelation.objects.count() == 0
    attachments = write_xlsx(
        tmp_path / "attachments.xlsx",
        ATTACHMENT_HEADERS,
        [
            ["李四", town["person_b"].id_number, a.credit_code, "2026-01-05", ""],
            ["王二", town["person_b"].id_number, a.credit_code, "2026-02-05", ""],
        ],
    )
    with pytest.raises(CommandError):
        call_command("import_data", "attachments", str(attachments))
    lines = capsys.readouterr().out.splitlines()
    # No relation was written, so 李四 has none to come through; 王二 is not that ID's name.
    assert "用工企业统一社会信用代码：" in line_of(2)
    assert "姓名：" in line_of(3)
    assert Attachment.objects.count() == 0


# --- screens -------------------------------------------------------------------------------


def test_the_manager_adds_and_ends_relations_and_attachments_in_the_front_office(
    client, town, accounts
):
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    url = reverse("directory:related_units")
    response = client.post(
        url,
        {
            "relation-credit_code": town["ent_b"].credit_code,
            "relation-kind": RelationKind.CONTRACTOR,
            "relation-starts_on": "2026-01-01",
            "relation-workplaces": "一号车间",
        },
    )
    assert response.status_code == 302
    relation = EnterpriseRelation.objects.get()
    assert (relation.host, relation.unit) == (town["ent_a"], town["ent_b"])
    response = client.post(
        url,
        {"attachment-id_number": town["person_b"].id_number, "attachment-starts_on": "2026-02-01"},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.relation == relation
    page = client.get(url).content.decode()
    assert "乙建设有限公司" in page and "李四" in page
    assert town["person_b"].id_number not in page  # masked
    # Refused with the reason: attaching the enterprise's own employee.
    response = client.post(
        url,
        {"attachment-id_number": town["person_a"].id_number, "attachment-starts_on": "2026-02-01"},
    )
    assert response.status_code == 200
    assert "已是该企业的员工" in response.content.decode()
    client.post(reverse("directory:relation_end", args=[relation.pk]), {"ends_on": "2026-11-19"})
    attachment.refresh_from_db()
    assert attachment.ends_on == datetime.date(2026, 11, 19)
    assert "李四" not in client.get(url).content.decode()


def test_another_enterprises_manager_cannot_end_the_relation(client, town, accounts):
    relation = contract(town, host=town["ent_b"], unit=town["ent_a"])
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    response = client.post(reverse("directory:relation_end", args=[relation.pk]))
    assert response.status_code == 404
    relation.refresh_from_db()
    assert relation.ends_on is None


def test_the_back_office_lists_adds_and_shows_relations_on_the_enterprise(client, town, accounts):
    client.force_login(accounts[AccountRole.TOWN_OFFICE])
    response = client.post(
        reverse("registry_relations:add"),
        {
            "host": town["ent_a"].pk,
            "unit": town["ent_b"].credit_code,
            "kind": RelationKind.TENANT,
            "starts_on": "2026-01-01",
            "workplaces": "仓库",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert EnterpriseRelation.objects.get().kind == RelationKind.TENANT
    listing = client.get(reverse("registry_relations:index")).content.decode()
    assert "乙建设有限公司" in listing and "承租单位" in listing
    detail = client.get(reverse("registry_enterprises:inspect", args=[town["ent_a"].pk]))
    assert "乙建设有限公司（承租单位" in detail.content.decode()
    # The same relation again is refused with the reason, nothing written.
    response = client.post(
        reverse("registry_relations:add"),
        {
            "host": town["ent_a"].pk,
            "unit": town["ent_b"].credit_code,
            "kind": RelationKind.TENANT,
            "starts_on": "2026-05-01",
        },
    )
    assert response.status_code == 200
    assert EnterpriseRelation.objects.count() == 1


def test_the_village_officer_reads_but_does_not_add(client, town, accounts):
    contract(town)
    client.force_login(accounts[AccountRole.VILLAGE_OFFICER])
    assert "乙建设有限公司" in client.get(reverse("registry_relations:index")).content.decode()
    assert client.get(reverse("registry_relations:add")).status_code in (302, 403)


# --- the enterprise's lists ------------------------------------------------------------------


def test_attached_people_join_the_hosts_lists_while_attached(town, accounts):
    from tests.factories.drills import DrillRecordFactory
    from training.drills.services.participants import participants_check
    from training.learning.selectors.records import enterprise_statuses

    manager = accounts[AccountRole.ENTERPRISE_MANAGER]
    contract(town)
    attached = attachment_record(
        user=None, person=town["person_b"], host=town["ent_a"], starts_on=START
    )
    record = DrillRecordFactory(enterprise=town["ent_a"], date=datetime.date(2026, 6, 1))
    assert participants_check(user=manager, record=record, people=[town["person_b"]]) == []
    statuses = enterprise_statuses(enterprise=town["ent_a"], year=2026, today=TODAY)
    assert {row.person_id for row in statuses} == {town["person_a"].pk, town["person_b"].pk}
    # The contractor's own list still has its employee.
    statuses = enterprise_statuses(enterprise=town["ent_b"], year=2026, today=TODAY)
    assert town["person_b"].pk in {row.person_id for row in statuses}
    attachment_end(user=None, attachment=attached, ends_on=datetime.date(2026, 5, 31))
    assert participants_check(user=manager, record=record, people=[town["person_b"]])
    statuses = enterprise_statuses(enterprise=town["ent_a"], year=2026, today=TODAY)
    assert {row.person_id for row in statuses} == {town["person_a"].pk}

"""Enterprise and person writes through their services, and the one definition of the fields a
role may not change, as the form, the import and the services apply it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from directory.constants import AccountRole, EnterpriseStatus
from directory.importing.services import import_file
from directory.models import Enterprise, Person, RegistryLogEntry
from directory.rights import LOCKED_FIELDS, locked_fields
from directory.services import (
    enterprise_create,
    enterprise_delete,
    enterprise_update,
    person_create,
    person_delete,
    person_update,
)
from tests.directory.importing_helpers import ENTERPRISE_HEADERS, write_xlsx
from tests.factories import credit_code_make, id_number_make

pytestmark = pytest.mark.django_db

MANAGER = AccountRole.ENTERPRISE_MANAGER
DEPT = AccountRole.DEPARTMENT_OFFICER
TOWN = AccountRole.TOWN_OFFICE


def log_lines(instance) -> list[RegistryLogEntry]:
    return list(
        RegistryLogEntry.objects.filter(object_id=str(instance.pk), label=str(instance)).order_by(
            "timestamp", "pk"
        )
    )


def enterprise_row(enterprise, *, village, lead, address="徐泾镇新址9号"):
    return [
        enterprise.name,
        enterprise.credit_code,
        address,
        village.name,
        enterprise.industry.name,
        lead.name,
        str(enterprise.headcount),
        "否",
        "否",
        "否",
    ]


# --- the one definition: form and import ---------------------------------------------------


def test_the_form_disables_exactly_the_locked_fields(client, accounts, town):
    manager = accounts[MANAGER]
    client.force_login(manager)
    page = client.get(reverse("registry_enterprises:edit", args=[town["ent_a"].pk]))
    disabled = {name for name, field in page.context["form"].fields.items() if field.disabled}
    assert disabled == set(LOCKED_FIELDS[MANAGER]["directory.Enterprise"])
    assert disabled == locked_fields(manager, Enterprise) != set()
    assert locked_fields(accounts[TOWN], Enterprise) == frozenset()


def test_a_manager_cannot_change_a_locked_field_through_the_form(client, accounts, town):
    ent = town["ent_a"]
    client.force_login(accounts[MANAGER])
    edit = reverse("registry_enterprises:edit", args=[ent.pk])
    page = client.get(edit)
    data = {
        name: page.context["form"][name].value() or ""
        for name in ("name", "credit_code", "address", "headcount")
    }
    # A hand-made POST naming the locked fields: they keep their stored values.
    data.update(address="徐泾镇新路2号", village=town["village_b"].pk, status="closed")
    data["lead_department"] = town["dept_b"].pk
    assert client.post(edit, data).status_code == 302
    ent.refresh_from_db()
    assert ent.address == "徐泾镇新路2号"
    assert (ent.village, ent.lead_department) == (town["village_a"], town["dept_a"])
    assert ent.status == EnterpriseStatus.ACTIVE


def test_a_manager_cannot_change_a_locked_field_through_an_import(accounts, town, tmp_path):
    ent = town["ent_a"]
    manager = accounts[MANAGER]
    moved = [enterprise_row(ent, village=town["village_b"], lead=town["dept_a"])]
    path = write_xlsx(tmp_path / "moved.xlsx", ENTERPRISE_HEADERS, moved)
    report = import_file(kind="enterprises", path=path, viewer=manager, dry_run=False)
    assert [row.row for row in report.error_rows] == [2]
    assert "不可修改" in " ".join(report.error_rows[0].errors)
    assert "村居" in " ".join(report.error_rows[0].errors)
    ent.refresh_from_db()
    assert ent.village == town["village_a"] and ent.address != "徐泾镇新址9号"

    # The fields that are the enterprise's own still change by import.
    kept = [enterprise_row(ent, village=town["village_a"], lead=town["dept_a"])]
    path = write_xlsx(tmp_path / "kept.xlsx", ENTERPRISE_HEADERS, kept)
    report = import_file(kind="enterprises", path=path, viewer=manager, dry_run=False)
    assert report.error_rows == []
    ent.refresh_from_db()
    assert ent.address == "徐泾镇新址9号"


def test_the_town_office_changes_the_same_fields_by_import(accounts, town, tmp_path):
    ent = town["ent_a"]
    rows = [enterprise_row(ent, village=town["village_b"], lead=town["dept_b"])]
    path = write_xlsx(tmp_path / "moved.xlsx", ENTERPRISE_HEADERS, rows)
    report = import_file(kind="enterprises", path=path, viewer=accounts[TOWN], dry_run=False)
    assert report.error_rows == []
    ent.refresh_from_db()
    assert (ent.village, ent.lead_department) == (town["village_b"], town["dept_b"])


# --- the services --------------------------------------------------------------------------


def test_enterprise_update_logs_the_change_as_the_services(accounts, town):
    ent = town["ent_a"]
    enterprise_update(enterprise=ent, user=accounts[MANAGER], values={"address": "徐泾镇新路8号"})
    ent.refresh_from_db()
    assert ent.address == "徐泾镇新路8号"
    line = log_lines(ent)[-1]
    assert line.action == "wagtail.edit" and line.data["source"] == "service"
    assert line.data["changes"]["address"]["new"] == "徐泾镇新路8号"
    assert line.user == accounts[MANAGER]


def test_enterprise_update_refuses_a_locked_field_and_writes_nothing(accounts, town):
    ent = town["ent_a"]
    before = len(log_lines(ent))
    with pytest.raises(PermissionDenied):
        enterprise_update(
            enterprise=ent,
            user=accounts[MANAGER],
            values={"address": "徐泾镇新路8号", "lead_department": town["dept_b"]},
        )
    ent.refresh_from_db()
    assert ent.lead_department == town["dept_a"] and ent.address != "徐泾镇新路8号"
    assert len(log_lines(ent)) == before


def test_enterprise_update_refuses_a_record_outside_the_scope(accounts, town):
    with pytest.raises(PermissionDenied):
        enterprise_update(enterprise=town["ent_b"], user=accounts[DEPT], values={"address": "别处"})
    with pytest.raises(PermissionDenied):
        enterprise_update(
            enterprise=town["ent_a"], user=accounts[AccountRole.VILLAGE_OFFICER], values={}
        )


def test_enterprise_create_keeps_an_officer_to_the_own_department(accounts, town):
    values = {
        "name": "戊建材有限公司",
        "credit_code": credit_code_make(301),
        "address": "徐泾镇华徐路3号",
        "village": town["village_a"],
        "industry": town["industry"],
        "lead_department": town["dept_b"],
        "headcount": 8,
    }
    with pytest.raises(PermissionDenied):
        enterprise_create(user=accounts[DEPT], values=values)
    assert not Enterprise.objects.filter(name="戊建材有限公司").exists()

    created = enterprise_create(
        user=accounts[DEPT], values={**values, "lead_department": town["dept_a"]}
    )
    assert log_lines(created)[0].action == "wagtail.create"
    with pytest.raises(PermissionDenied):
        enterprise_create(user=accounts[MANAGER], values={**values, "name": "己"})


def test_enterprise_delete_logs_before_deleting(accounts, town):
    empty = Enterprise.objects.create(
        name="庚空壳有限公司",
        credit_code=credit_code_make(302),
        village=town["village_a"],
        industry=town["industry"],
        lead_department=town["dept_a"],
    )
    pk = empty.pk
    with pytest.raises(PermissionDenied):
        enterprise_delete(enterprise=empty, user=accounts[MANAGER])
    enterprise_delete(enterprise=empty, user=accounts[TOWN])
    assert not Enterprise.objects.filter(pk=pk).exists()
    assert RegistryLogEntry.objects.filter(object_id=str(pk), action="wagtail.delete").exists()


def test_person_writes_by_a_manager_stay_in_the_own_enterprise(accounts, town):
    manager = accounts[MANAGER]
    values = {
        "name": "赵六",
        "id_number": id_number_make(901),
        "employer": town["ent_a"],
        "is_general_worker": True,
    }
    person = person_create(user=manager, values=values)
    assert person.birth_date is not None  # derived from the ID number on save
    assert log_lines(person)[0].data["changes"]["employer"]["new_name"] == town["ent_a"].name

    with pytest.raises(PermissionDenied):
        person_update(person=person, user=accounts[AccountRole.VILLAGE_OFFICER], values={})
    person_update(person=person, user=manager, values={"post": "焊工"})
    person.refresh_from_db()
    assert person.post == "焊工"

    with pytest.raises(PermissionDenied):
        person_delete(person=town["person_b"], user=manager)
    person_delete(person=person, user=manager)
    assert not Person.objects.filter(pk=person.pk).exists()


def test_the_back_office_saves_through_the_services(client, accounts, town):
    person = town["person_a"]
    client.force_login(accounts[TOWN])
    edit = reverse("registry_people:edit", args=[person.pk])
    page = client.get(edit)
    form = page.context["form"]
    data = {name: form[name].value() for name in ("name", "id_number", "employer", "hire_date")}
    data.update(
        employment_type=form["employment_type"].value(),
        status=form["status"].value(),
        phone=form["phone"].value(),
        is_general_worker="on",
        post="电工",
        hire_date=person.hire_date.isoformat(),
    )
    assert client.post(edit, data).status_code == 302
    line = log_lines(person)[-1]
    assert line.data["source"] == "form" and line.data["changes"]["post"]["new"] == "电工"


def test_a_transfer_to_another_post_dates_the_new_post(town, time_machine):
    """《生产经营单位安全培训规定》第十七条: on a move to another post workshop and team training
    is due again; the registry dates the new post (unless the date is given); a first post is not
    a transfer."""
    import datetime

    from directory.models import Post

    time_machine.move_to(datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.UTC))
    person = town["person_a"]
    welder, electrician = Post.objects.get(name="焊工"), Post.objects.get(name="电工")
    person_update(person=person, user=None, values={"work_post": welder})
    assert person.post_since is None
    person_update(person=person, user=None, values={"work_post": electrician})
    assert person.post_since == datetime.date(2026, 11, 28)
    given = datetime.date(2026, 11, 1)
    person_update(person=person, user=None, values={"work_post": welder, "post_since": given})
    assert person.post_since == given

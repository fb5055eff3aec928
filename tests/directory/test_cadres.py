"""Leading cadres in the registry: one unit (a department, a village or the town, never an
enterprise), their own import list, the person form, and who sees them."""

import pytest
from django.db import IntegrityError, transaction

from directory.constants import AccountRole, PersonRole
from directory.forms import PersonForm
from directory.importing.services import import_file
from directory.models import Person
from directory.selectors import people_editable_by, people_visible_to
from tests.directory.importing_helpers import write_xlsx
from tests.factories import PersonFactory, id_number_make

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "身份证号", "手机号", "所属单位", "职务"]


def cadre(**fields):
    return PersonFactory(employer=None, is_cadre=True, is_general_worker=False, **fields)


def test_a_cadre_cannot_be_an_enterprises_employee_in_the_database(town):
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(employer=town["ent_a"], is_cadre=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(employer=None, department=town["dept_a"], village=town["village_a"])


def test_the_roles_and_the_unit_label_name_the_cadre(town):
    town_leader = cadre(name="镇长")
    village_leader = cadre(village=town["village_a"])
    assert town_leader.roles == [PersonRole.CADRE]
    assert town_leader.role_labels == ["领导干部"]
    assert town_leader.cadre_unit_label == "镇领导"
    assert village_leader.cadre_unit_label == "徐泾村"
    assert set(Person.objects.with_role(PersonRole.CADRE)) == {town_leader, village_leader}


def test_the_cadres_list_imports_units_by_name_and_rejects_an_employee(town, tmp_path):
    employee = town["person_a"]
    rows = [
        ["陈书记", id_number_make(701), "", "镇", "镇党委书记"],
        ["周主任", id_number_make(702), "", "经发办", "主任"],
        ["吴书记", id_number_make(703), "", "徐泾村", "村党总支书记"],
    ]
    report = import_file(
        kind="cadres", path=write_xlsx(tmp_path / "c.xlsx", HEADERS, rows), dry_run=False
    )
    assert report.written, report.lines()
    chen, zhou, wu = (Person.objects.get(id_number=id_number_make(n)) for n in (701, 702, 703))
    assert all(p.is_cadre and p.employer_id is None for p in (chen, zhou, wu))
    assert (chen.department, chen.village) == (None, None)
    assert zhou.department == town["dept_a"] and zhou.post == "主任"
    assert wu.village == town["village_a"]

    bad = [
        ["郑某", id_number_make(704), "", "不存在的单位", ""],
        [employee.name, employee.id_number, "", "经发办", ""],
    ]
    report = import_file(
        kind="cadres", path=write_xlsx(tmp_path / "d.xlsx", HEADERS, bad), dry_run=False
    )
    assert not report.written
    text = "\n".join(report.lines())
    assert [row.row for row in report.error_rows] == [2, 3]
    assert "不存在的单位" in text
    assert "领导干部属于部门、村居或镇，不能属于企业" in text
    assert not Person.objects.filter(id_number=id_number_make(704)).exists()
    employee.refresh_from_db()
    assert not employee.is_cadre


def test_a_department_officer_lists_only_the_own_departments_cadres(town, accounts, tmp_path):
    rows = [["周主任", id_number_make(711), "", "规建办", ""]]
    report = import_file(
        kind="cadres",
        path=write_xlsx(tmp_path / "c.xlsx", HEADERS, rows),
        viewer=accounts[AccountRole.DEPARTMENT_OFFICER],
        dry_run=False,
    )
    assert not report.written
    assert "只能导入本部门的领导干部" in "\n".join(report.lines())


def test_the_person_form_offers_the_cadre_fields_by_role(town, accounts):
    town_form = PersonForm(for_user=accounts[AccountRole.TOWN_OFFICE])
    assert {"is_cadre", "village", "department"} <= set(town_form.fields)
    dept_form = PersonForm(for_user=accounts[AccountRole.DEPARTMENT_OFFICER])
    assert "is_cadre" in dept_form.fields and "village" not in dept_form.fields
    manager_form = PersonForm(for_user=accounts[AccountRole.ENTERPRISE_MANAGER])
    assert "is_cadre" not in manager_form.fields


def test_the_person_form_refuses_a_cadre_with_an_employer(town, accounts):
    data = {
        "name": "某领导",
        "id_number": id_number_make(720),
        "employer": town["ent_a"].pk,
        "is_cadre": "on",
        "employment_type": "regular",
        "status": "active",
    }
    form = PersonForm(data=data, for_user=accounts[AccountRole.TOWN_OFFICE])
    assert not form.is_valid()
    assert "领导干部属于部门、村居或镇，不能属于企业。" in str(form.errors)


def test_village_cadres_are_seen_by_their_village_and_kept_by_the_town(town, accounts):
    village_cadre = cadre(village=town["village_a"])
    other_village = cadre(village=town["village_b"])
    dept_cadre = cadre(department=town["dept_a"])
    town_leader = cadre()
    village_officer = accounts[AccountRole.VILLAGE_OFFICER]
    dept_officer = accounts[AccountRole.DEPARTMENT_OFFICER]
    cadres = Person.objects.filter(is_cadre=True)
    assert set(people_visible_to(village_officer, cadres)) == {village_cadre}
    assert set(people_visible_to(dept_officer, cadres)) == {dept_cadre}
    assert set(people_editable_by(dept_officer, cadres)) == {dept_cadre}
    assert not people_editable_by(village_officer, cadres).exists()
    assert set(people_visible_to(accounts[AccountRole.TOWN_OFFICE], cadres)) == {
        village_cadre,
        other_village,
        dept_cadre,
        town_leader,
    }
    assert not people_visible_to(accounts[AccountRole.ENTERPRISE_MANAGER], cadres).exists()

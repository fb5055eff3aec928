"""The back-office registry screens: pages render, personal data masked, forms validate and
narrow their choices, search and filters, scoped exports, the import menu item."""

import io

import openpyxl
import pytest
from django import forms
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import escape

from directory.constants import AccountRole
from directory.identifiers import id_number_mask, phone_mask
from directory.models import Enterprise, Person, RegistryLogEntry
from tests.export_helpers import export_get
from tests.factories import credit_code_make, id_number_make

TOWN = AccountRole.TOWN_OFFICE
DEPT = AccountRole.DEPARTMENT_OFFICER
VILLAGE = AccountRole.VILLAGE_OFFICER
MANAGER = AccountRole.ENTERPRISE_MANAGER
REGISTRY_ROLES = [TOWN, DEPT, VILLAGE, MANAGER]
NAMESPACES = {
    "ent_a": "registry_enterprises",
    "person_a": "registry_people",
    "village_a": "registry_villages",
    "industry": "registry_industries",
    "dept_a": "registry_departments",
}


def url(namespace, view, *args, **query):
    path = reverse(f"{namespace}:{view}", args=args)
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


def form_data(response, **overrides):
    """The POST a user would send by saving the form unchanged, with `overrides` applied."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = "" if value is None else value
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def message_html(message: str) -> str:
    """A source message as the Chinese page shows it (escaped as in HTML)."""
    with translation.override("zh-hans"):
        return escape(translation.gettext(message))


# --- every page renders --------------------------------------------------------------------


@pytest.mark.parametrize("key", NAMESPACES)
def test_town_office_pages_render(client, accounts, town, key):
    namespace, obj = NAMESPACES[key], town[key]
    client.force_login(accounts[TOWN])
    for view, args in [
        ("index", ()),
        ("index_results", ()),
        ("add", ()),
        ("edit", (obj.pk,)),
        ("inspect", (obj.pk,)),
        ("history", (obj.pk,)),
        ("usage", (obj.pk,)),
        ("delete", (obj.pk,)),
    ]:
        response = client.get(url(namespace, view, *args))
        assert response.status_code == 200, view


@pytest.mark.parametrize("role", [DEPT, MANAGER])
@pytest.mark.parametrize("key", ["ent_a", "person_a"])
def test_officer_and_manager_pages_render(client, accounts, town, role, key):
    namespace, obj = NAMESPACES[key], town[key]
    client.force_login(accounts[role])
    for view in ("edit", "inspect", "history"):
        assert client.get(url(namespace, view, obj.pk)).status_code == 200, view
    add = client.get(url(namespace, "add"))
    may_add = not (role == MANAGER and key == "ent_a")
    assert add.status_code == (200 if may_add else 302)


def test_copy_view_is_disabled(accounts, town):
    with pytest.raises(NoReverseMatch):
        reverse("registry_enterprises:copy", args=[town["ent_a"].pk])


# --- personal data -------------------------------------------------------------------------

SEES_WHOLE = {TOWN: True, MANAGER: True, DEPT: False, VILLAGE: False}


@pytest.mark.parametrize("role", REGISTRY_ROLES)
@pytest.mark.parametrize("view", ["index", "inspect"])
def test_id_and_phone_masked_unless_allowed(client, accounts, town, role, view):
    person = town["person_a"]
    client.force_login(accounts[role])
    args = (person.pk,) if view == "inspect" else ()
    content = client.get(url("registry_people", view, *args)).content.decode()
    assert person.name in content
    if SEES_WHOLE[role]:
        assert person.id_number in content
        assert person.phone in content
    else:
        assert person.id_number not in content
        assert person.phone not in content
        assert id_number_mask(person.id_number) in content
        assert phone_mask(person.phone) in content
        assert person.id_number.startswith("310") and "310***********" in content
        # The birth date is what the mask hides; the inspect view must not show it either.
        assert person.birth_date.isoformat() not in content
        assert f"{person.birth_date.year}年" not in content


@pytest.mark.parametrize("role", [DEPT, VILLAGE, MANAGER])
def test_no_list_shows_other_enterprises_people(client, accounts, town, role):
    client.force_login(accounts[role])
    content = client.get(url("registry_people", "index")).content.decode()
    person_b = town["person_b"]
    assert person_b.name not in content
    assert person_b.id_number[-4:] not in content
    assert person_b.phone[-4:] not in content


def test_department_officer_edits_person_without_seeing_whole_numbers(client, accounts, town):
    person = town["person_a"]
    client.force_login(accounts[DEPT])
    page = client.get(url("registry_people", "edit", person.pk))
    content = page.content.decode()
    assert person.id_number not in content
    assert person.phone not in content
    assert id_number_mask(person.id_number) in content

    response = client.post(url("registry_people", "edit", person.pk), form_data(page, post="焊工"))
    assert response.status_code == 302
    saved = Person.objects.get(pk=person.pk)
    assert saved.post == "焊工"
    assert (saved.id_number, saved.phone) == (person.id_number, person.phone)


# --- forms ---------------------------------------------------------------------------------


def test_invalid_id_number_is_refused_and_nothing_written(client, accounts, town):
    client.force_login(accounts[MANAGER])
    page = client.get(url("registry_people", "add"))
    bad = id_number_make(500)[:-1] + ("0" if id_number_make(500)[-1] != "0" else "1")
    before = Person.objects.count()
    response = client.post(
        url("registry_people", "add"), form_data(page, name="赵六", id_number=bad)
    )
    assert response.status_code == 200
    assert Person.objects.count() == before
    assert message_html("The check digit of this ID number is wrong.") in response.content.decode()


def test_id_number_is_normalised(client, accounts, town):
    client.force_login(accounts[MANAGER])
    number = id_number_make(501)
    typed = " ".join([number[:6], number[6:14], number[14:]])
    typed = typed.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})  # full-width
    page = client.get(url("registry_people", "add"))
    response = client.post(
        url("registry_people", "add"),
        form_data(page, name="赵六", id_number=typed, phone="139 1234 5678"),
    )
    assert response.status_code == 302
    person = Person.objects.get(name="赵六")
    assert person.id_number == number
    assert person.phone == "13912345678"
    assert person.employer == town["ent_a"]
    assert person.birth_date is not None and person.sex in ("M", "F")


def test_birth_date_and_sex_are_not_form_fields(client, accounts, town):
    client.force_login(accounts[TOWN])
    form = client.get(url("registry_people", "edit", town["person_a"].pk)).context["form"]
    assert "birth_date" not in form.fields
    assert "sex" not in form.fields


def test_manager_cannot_employ_at_another_enterprise(client, accounts, town):
    client.force_login(accounts[MANAGER])
    page = client.get(url("registry_people", "add"))
    assert town["ent_b"].name not in page.content.decode()
    before = Person.objects.count()
    response = client.post(
        url("registry_people", "add"),
        form_data(page, name="赵六", id_number=id_number_make(502), employer=town["ent_b"].pk),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["employer"]
    assert Person.objects.count() == before

    person = town["person_a"]
    page = client.get(url("registry_people", "edit", person.pk))
    response = client.post(
        url("registry_people", "edit", person.pk), form_data(page, employer=town["ent_b"].pk)
    )
    assert response.status_code == 200
    assert Person.objects.get(pk=person.pk).employer == town["ent_a"]


def test_department_officer_employer_choices_are_own_sector(client, accounts, town):
    client.force_login(accounts[DEPT])
    form = client.get(url("registry_people", "add")).context["form"]
    assert list(form.fields["employer"].queryset) == [town["ent_a"]]
    assert list(form.fields["department"].queryset) == [town["dept_a"]]


def test_person_has_one_employer(client, accounts, town):
    client.force_login(accounts[TOWN])
    page = client.get(url("registry_people", "add"))
    response = client.post(
        url("registry_people", "add"),
        form_data(
            page,
            name="赵六",
            id_number=id_number_make(503),
            employer=town["ent_a"].pk,
            department=town["dept_a"].pk,
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Person.objects.filter(name="赵六").exists()


def test_invalid_credit_code_is_refused(client, accounts, town):
    client.force_login(accounts[TOWN])
    page = client.get(url("registry_enterprises", "add"))
    data = form_data(
        page,
        name="丙公司",
        credit_code="91310118000000000X",
        village=town["village_a"].pk,
        industry=town["industry"].pk,
        lead_department=town["dept_a"].pk,
        headcount="5",
    )
    response = client.post(url("registry_enterprises", "add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["credit_code"]
    assert not Enterprise.objects.filter(name="丙公司").exists()

    code = credit_code_make(900)
    typed = " " + code.lower().translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    response = client.post(url("registry_enterprises", "add"), {**data, "credit_code": typed})
    assert response.status_code == 302
    assert Enterprise.objects.get(name="丙公司").credit_code == code


def test_department_officer_registers_only_own_sector(client, accounts, town):
    client.force_login(accounts[DEPT])
    page = client.get(url("registry_enterprises", "add"))
    data = form_data(
        page,
        name="丙公司",
        credit_code=credit_code_make(901),
        village=town["village_b"].pk,
        industry=town["industry"].pk,
        lead_department=town["dept_b"].pk,
        headcount="5",
    )
    response = client.post(url("registry_enterprises", "add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["lead_department"]
    assert not Enterprise.objects.filter(name="丙公司").exists()


def test_principal_choices_are_the_enterprises_people(client, accounts, town):
    client.force_login(accounts[MANAGER])
    page = client.get(url("registry_enterprises", "edit", town["ent_a"].pk))
    assert list(page.context["form"].fields["principal"].queryset) == [town["person_a"]]
    assert town["person_b"].name not in page.content.decode()


def test_manager_cannot_change_what_supervisors_decide(client, accounts, town):
    ent = town["ent_a"]
    client.force_login(accounts[MANAGER])
    page = client.get(url("registry_enterprises", "edit", ent.pk))
    response = client.post(
        url("registry_enterprises", "edit", ent.pk),
        form_data(
            page,
            address="徐泾镇新路2号",
            lead_department=town["dept_b"].pk,
            principal=town["person_a"].pk,
        ),
    )
    assert response.status_code == 302
    ent.refresh_from_db()
    assert ent.address == "徐泾镇新路2号"
    assert ent.principal == town["person_a"]
    assert ent.lead_department == town["dept_a"]


def test_deleting_an_enterprise_with_people_is_refused_politely(client, accounts, town):
    client.force_login(accounts[TOWN])
    response = client.post(url("registry_enterprises", "delete", town["ent_a"].pk), follow=True)
    assert response.status_code == 200
    assert Enterprise.objects.filter(pk=town["ent_a"].pk).exists()


# --- search and filters --------------------------------------------------------------------


def test_search_in_chinese(client, accounts, town):
    client.force_login(accounts[TOWN])
    content = client.get(url("registry_enterprises", "index", q="甲机械")).content.decode()
    assert town["ent_a"].name in content
    assert town["ent_b"].name not in content
    content = client.get(url("registry_people", "index", q="李")).content.decode()
    assert town["person_b"].name in content
    assert town["person_a"].name not in content


def test_search_cannot_read_masked_numbers(client, accounts, town):
    person = town["person_a"]
    client.force_login(accounts[DEPT])
    partial = client.get(url("registry_people", "index", q=person.id_number[:10]))
    assert person.name not in partial.content.decode()
    whole = client.get(url("registry_people", "index", q=person.id_number))
    assert person.name in whole.content.decode()


def test_filters(client, accounts, town):
    client.force_login(accounts[TOWN])
    content = client.get(
        url("registry_enterprises", "index", village=town["village_b"].pk)
    ).content.decode()
    assert town["ent_b"].name in content
    assert town["ent_a"].name not in content

    content = client.get(url("registry_people", "index", role="inspector")).content.decode()
    assert town["inspector_a"].name in content
    assert town["person_a"].name not in content

    content = client.get(
        url("registry_people", "index", employer__village=town["village_a"].pk)
    ).content.decode()
    assert town["person_a"].name in content
    assert town["person_b"].name not in content


@pytest.mark.parametrize("role", REGISTRY_ROLES)
def test_employer_village_filter_only_for_town_and_departments(client, accounts, town, role):
    client.force_login(accounts[role])
    response = client.get(url("registry_people", "index"))
    assert ("employer__village" in response.context["filters"].filters) == (role in (TOWN, DEPT))


# --- exports -------------------------------------------------------------------------------


def read_xlsx(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    return list(book.active.iter_rows(values_only=True))


@pytest.mark.parametrize("role", REGISTRY_ROLES)
def test_people_export_is_scoped_and_masked(client, accounts, town, role):
    client.force_login(accounts[role])
    rows = read_xlsx(export_get(client, url("registry_people", "index", export="xlsx")))
    header, body = rows[0], rows[1:]
    assert header[:4] == ("姓名", "身份证号", "手机号", "所属企业统一社会信用代码")
    by_name = {row[0]: row for row in body}
    expected = {
        TOWN: {"张三", "李四", "王五"},
        DEPT: {"张三", "王五"},
        VILLAGE: {"张三"},
        MANAGER: {"张三"},
    }
    assert set(by_name) == expected[role]
    person = town["person_a"]
    row = by_name[person.name]
    if SEES_WHOLE[role]:
        assert (row[1], str(row[2])) == (person.id_number, person.phone)
    else:
        assert (row[1], row[2]) == (id_number_mask(person.id_number), phone_mask(person.phone))
    assert row[3] == town["ent_a"].credit_code


@pytest.mark.parametrize("role", REGISTRY_ROLES)
def test_enterprise_export_is_scoped(client, accounts, town, role):
    client.force_login(accounts[role])
    rows = read_xlsx(export_get(client, url("registry_enterprises", "index", export="xlsx")))
    assert rows[0][:3] == ("企业名称", "统一社会信用代码", "地址")
    names = {row[0] for row in rows[1:]}
    expected = {town["ent_a"].name} | ({town["ent_b"].name} if role == TOWN else set())
    assert names == expected


def test_export_follows_filters_and_search(client, accounts, town):
    client.force_login(accounts[TOWN])
    rows = read_xlsx(
        export_get(
            client,
            url("registry_enterprises", "index", export="xlsx", village=town["village_b"].pk),
        )
    )
    assert [row[0] for row in rows[1:]] == [town["ent_b"].name]
    rows = read_xlsx(export_get(client, url("registry_people", "index", export="xlsx", q="张")))
    assert [row[0] for row in rows[1:]] == [town["person_a"].name]


def test_csv_export_is_scoped(client, accounts, town):
    client.force_login(accounts[MANAGER])
    response = export_get(client, url("registry_people", "index", export="csv"))
    text = response.getvalue().decode("utf-8-sig")
    assert town["person_a"].id_number in text
    assert town["person_b"].name not in text


# --- menu ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", REGISTRY_ROLES)
def test_import_menu_item_for_those_who_may_import(client, accounts, role):
    client.force_login(accounts[role])
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "/admin/registry/enterprises/" in content
    may_import = accounts[role].has_perm("directory.add_importjob")
    assert ("/admin/registry/imports/" in content) == may_import


def test_menu_survives_a_missing_import_url(client, accounts, monkeypatch):
    from directory.wagtail_hooks import ImportMenuItem

    monkeypatch.setattr(ImportMenuItem, "url_name", "directory_imports:no_such_view")
    client.force_login(accounts[TOWN])
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "/admin/registry/enterprises/" in response.content.decode()


def test_site_history_does_not_name_other_enterprises(client, accounts, town):
    ent_b = town["ent_b"]
    client.force_login(accounts[TOWN])
    page = client.get(url("registry_enterprises", "edit", ent_b.pk))
    # A change: a save that changes nothing logs nothing (directory.services.registry_changes_log).
    client.post(
        url("registry_enterprises", "edit", ent_b.pk), form_data(page, address="徐泾镇新路1号")
    )
    assert RegistryLogEntry.objects.filter(object_id=str(ent_b.pk)).exists()
    manager = Client()
    manager.force_login(accounts[MANAGER])
    response = manager.get(reverse("wagtailadmin_reports:site_history"))
    assert ent_b.name not in response.content.decode()
    client.force_login(accounts[TOWN])
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    assert ent_b.name in response.content.decode()

"""Each role × each registry object × list / inspect / edit, through the selectors and over HTTP."""

import pytest
from django.urls import reverse

from directory.constants import AccountRole
from directory.models import Department, Enterprise, Industry, Person, Village
from directory.selectors import editable_by, visible_to

# The registry object of the town fixture, its model and its admin URL namespace.
OBJECTS = {
    "dept_a": (Department, "registry_departments"),
    "dept_b": (Department, "registry_departments"),
    "village_a": (Village, "registry_villages"),
    "village_b": (Village, "registry_villages"),
    "industry": (Industry, "registry_industries"),
    "ent_a": (Enterprise, "registry_enterprises"),
    "ent_b": (Enterprise, "registry_enterprises"),
    "person_a": (Person, "registry_people"),
    "person_b": (Person, "registry_people"),
    "inspector_a": (Person, "registry_people"),
}
REFERENCE = {"dept_a", "dept_b", "village_a", "village_b", "industry"}
ALL = set(OBJECTS)

# What each role sees and may change; every account is tied to the "a" side of the town.
VISIBLE = {
    AccountRole.TOWN_OFFICE: ALL,
    AccountRole.DEPARTMENT_OFFICER: REFERENCE | {"ent_a", "person_a", "inspector_a"},
    AccountRole.VILLAGE_OFFICER: REFERENCE | {"ent_a", "person_a"},
    AccountRole.ENTERPRISE_MANAGER: REFERENCE | {"ent_a", "person_a"},
    # The learner is person_a's account: the selector shows their own entry (front office).
    AccountRole.LEARNER: {"person_a"},
    AccountRole.EDITOR: set(),
}
EDITABLE = {
    AccountRole.TOWN_OFFICE: ALL,
    AccountRole.DEPARTMENT_OFFICER: {"ent_a", "person_a", "inspector_a"},
    AccountRole.VILLAGE_OFFICER: set(),
    AccountRole.ENTERPRISE_MANAGER: {"ent_a", "person_a"},
    AccountRole.LEARNER: set(),
    AccountRole.EDITOR: set(),
}
# Roles that open the registry in the back office at all.
REGISTRY_ROLES = {
    AccountRole.TOWN_OFFICE,
    AccountRole.DEPARTMENT_OFFICER,
    AccountRole.VILLAGE_OFFICER,
    AccountRole.ENTERPRISE_MANAGER,
}

MATRIX = [(role, key) for role in AccountRole for key in OBJECTS]
IDS = [f"{role.value}-{key}" for role, key in MATRIX]


def _denied(response, obj) -> bool:
    """Refused without showing the object: 404, 403, or Wagtail's redirect (login / home)."""
    if response.status_code in (403, 404):
        return obj.name not in response.content.decode()
    return response.status_code == 302 and "/admin/" in response["Location"]


@pytest.mark.parametrize(("role", "key"), MATRIX, ids=IDS)
def test_selectors(accounts, town, role, key):
    model, _ = OBJECTS[key]
    obj = town[key]
    user = accounts[role]
    assert visible_to(user, model).filter(pk=obj.pk).exists() == (key in VISIBLE[role])
    assert editable_by(user, model).filter(pk=obj.pk).exists() == (key in EDITABLE[role])


@pytest.mark.parametrize(("role", "key"), MATRIX, ids=IDS)
def test_index_lists_only_visible(client, accounts, town, role, key):
    _, namespace = OBJECTS[key]
    obj = town[key]
    client.force_login(accounts[role])
    response = client.get(reverse(f"{namespace}:index"))
    if role not in REGISTRY_ROLES:
        assert _denied(response, obj)
        return
    assert response.status_code == 200
    assert (obj.name in response.content.decode()) == (key in VISIBLE[role])


@pytest.mark.parametrize(("role", "key"), MATRIX, ids=IDS)
def test_inspect_only_visible(client, accounts, town, role, key):
    _, namespace = OBJECTS[key]
    obj = town[key]
    client.force_login(accounts[role])
    response = client.get(reverse(f"{namespace}:inspect", args=[obj.pk]))
    if role in REGISTRY_ROLES and key in VISIBLE[role]:
        assert response.status_code == 200
        assert obj.name in response.content.decode()
    else:
        assert _denied(response, obj)


@pytest.mark.parametrize(("role", "key"), MATRIX, ids=IDS)
def test_edit_only_editable(client, accounts, town, role, key):
    _, namespace = OBJECTS[key]
    obj = town[key]
    client.force_login(accounts[role])
    response = client.get(reverse(f"{namespace}:edit", args=[obj.pk]))
    if key in EDITABLE[role]:
        assert response.status_code == 200
        assert obj.name in response.content.decode()
    else:
        assert _denied(response, obj)


@pytest.mark.parametrize(("role", "key"), MATRIX, ids=IDS)
def test_delete_and_history_only_editable(client, accounts, town, role, key):
    _, namespace = OBJECTS[key]
    obj = town[key]
    client.force_login(accounts[role])
    for view in ("delete", "history", "usage"):
        response = client.get(reverse(f"{namespace}:{view}", args=[obj.pk]))
        if response.status_code == 200:
            assert key in EDITABLE[role], view
        else:
            assert _denied(response, obj), view


OTHER_SIDE = [
    (role, key)
    for role in (
        AccountRole.DEPARTMENT_OFFICER,
        AccountRole.VILLAGE_OFFICER,
        AccountRole.ENTERPRISE_MANAGER,
    )
    for key in ("ent_b", "person_b")
]


@pytest.mark.parametrize(("role", "key"), OTHER_SIDE)
def test_other_enterprise_by_direct_url_is_not_found(client, accounts, town, role, key):
    """Typing the id of another enterprise's record answers 404 (or 403), never its data."""
    _, namespace = OBJECTS[key]
    obj = town[key]
    client.force_login(accounts[role])
    for view in ("inspect", "edit", "delete", "history", "usage"):
        response = client.get(reverse(f"{namespace}:{view}", args=[obj.pk]))
        content = response.content.decode()
        allowed = {403, 404}
        if role == AccountRole.VILLAGE_OFFICER:
            # A read-only role may be refused (redirect home) before the object is looked up.
            allowed.add(302)
        assert response.status_code in allowed, view
        assert obj.name not in content
        if key == "person_b":
            assert obj.id_number not in content
            assert obj.id_number[-4:] not in content


@pytest.mark.parametrize("key", ["ent_b", "person_b"])
def test_manager_cannot_write_other_enterprise_records(client, accounts, town, key):
    _, namespace = OBJECTS[key]
    obj = town[key]
    client.force_login(accounts[AccountRole.ENTERPRISE_MANAGER])
    edit = client.post(reverse(f"{namespace}:edit", args=[obj.pk]), {"name": "改名"})
    delete = client.post(reverse(f"{namespace}:delete", args=[obj.pk]))
    assert edit.status_code == 404
    assert delete.status_code == 404
    obj.refresh_from_db()
    assert obj.name != "改名"


@pytest.mark.parametrize("role", [AccountRole.LEARNER, AccountRole.EDITOR])
def test_learner_and_editor_get_no_registry_menu(client, accounts, role):
    client.force_login(accounts[role])
    response = client.get(reverse("wagtailadmin_home"))
    if role == AccountRole.LEARNER:
        # No back-office access at all: sent to the login page.
        assert response.status_code == 302
        assert reverse("wagtailadmin_login") in response["Location"]
    else:
        assert response.status_code == 200
        assert "/admin/registry/" not in response.content.decode()

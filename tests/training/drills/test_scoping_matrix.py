"""Each role × each drill follow-up object × side of the town: selectors and back-office screens.

Every object belongs to an enterprise; the accounts of the `accounts` fixture are tied to the
"a" side, so each role sees / changes the "a" object or nothing, and only the town office "b".
"""

import pytest
from django.urls import reverse

from directory.constants import AccountRole
from directory.selectors import editable_by, visible_to
from tests.factories.drills import (
    CorrectiveActionFactory,
    DrillEvidenceFactory,
    DrillObservationFactory,
    DrillProfileFactory,
)

SIDES = ("a", "b")
# kind -> (factory of an object of an enterprise, back-office URL namespace)
FACTORIES = {
    "profile": (lambda ent: DrillProfileFactory(enterprise=ent), "drill_profiles"),
    "evidence": (lambda ent: DrillEvidenceFactory(record__enterprise=ent), "drill_evidence"),
    "action": (lambda ent: CorrectiveActionFactory(record__enterprise=ent), "corrective_actions"),
    # Shown on the record's review page, not on a screen of its own.
    "observation": (lambda ent: DrillObservationFactory(record__enterprise=ent), None),
}
KINDS = {kind: namespace for kind, (_factory, namespace) in FACTORIES.items()}
VISIBLE = {
    AccountRole.TOWN_OFFICE: {"a", "b"},
    AccountRole.DEPARTMENT_OFFICER: {"a"},
    AccountRole.VILLAGE_OFFICER: {"a"},
    AccountRole.ENTERPRISE_MANAGER: {"a"},
    AccountRole.LEARNER: set(),
    AccountRole.EDITOR: set(),
}
EDITABLE = {
    AccountRole.TOWN_OFFICE: {"a", "b"},
    AccountRole.DEPARTMENT_OFFICER: {"a"},
    AccountRole.VILLAGE_OFFICER: set(),
    AccountRole.ENTERPRISE_MANAGER: {"a"},
    AccountRole.LEARNER: set(),
    AccountRole.EDITOR: set(),
}
# Observations are the officers' notes: officers change them, the enterprise only reads them.
EDITABLE_BY_KIND = {
    "observation": {
        **EDITABLE,
        AccountRole.VILLAGE_OFFICER: {"a"},
        AccountRole.ENTERPRISE_MANAGER: set(),
    }
}


def make_object(kind, town, side):
    factory, _namespace = FACTORIES[kind]
    return factory(town[f"ent_{side}"])


MATRIX = [(role, kind, side) for role in AccountRole for kind in KINDS for side in SIDES]
IDS = [f"{role.value}-{kind}-{side}" for role, kind, side in MATRIX]


@pytest.mark.parametrize(("role", "kind", "side"), MATRIX, ids=IDS)
def test_selectors(accounts, town, role, kind, side):
    obj = make_object(kind, town, side)
    user = accounts[role]
    model = type(obj)
    editable = EDITABLE_BY_KIND.get(kind, EDITABLE)
    assert visible_to(user, model).filter(pk=obj.pk).exists() == (side in VISIBLE[role])
    assert editable_by(user, model).filter(pk=obj.pk).exists() == (side in editable[role])


SCREENS = [(role, kind, side) for role, kind, side in MATRIX if KINDS[kind]]


@pytest.mark.parametrize(
    ("role", "kind", "side"), SCREENS, ids=[f"{r.value}-{k}-{s}" for r, k, s in SCREENS]
)
def test_screens(client, accounts, town, role, kind, side):
    obj = make_object(kind, town, side)
    namespace = KINDS[kind]
    client.force_login(accounts[role])
    listing = client.get(reverse(f"{namespace}:index"))
    inspect = client.get(reverse(f"{namespace}:inspect", args=[obj.pk]))
    edit = client.get(reverse(f"{namespace}:edit", args=[obj.pk]))
    if VISIBLE[role]:
        assert listing.status_code == 200
        assert (obj.pk in {o.pk for o in listing.context["object_list"]}) == (side in VISIBLE[role])
    else:
        assert listing.status_code in (302, 403)
    assert (inspect.status_code == 200) == (side in VISIBLE[role])
    assert (edit.status_code == 200) == (side in EDITABLE[role])
